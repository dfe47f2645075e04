package trit.corpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import trit.TritException;

/**
 * The King James Bible (Debian: bible-kjv-text) as documents: each chapter is one, headed by the
 * book's name and the chapter number ("Genesis 1"), then one verse per line without verse numbers.
 */
public final class Kjv {
    public static final Path DEBIAN_DATA = Path.of("/usr/lib/bible.data");

    /** The 66 books in canonical order: the abbreviation bible.data uses, and the name written out. */
    private static final String[][] BOOKS = {
        {"Ge", "Genesis"}, {"Exo", "Exodus"}, {"Lev", "Leviticus"}, {"Num", "Numbers"}, {"Deu", "Deuteronomy"},
        {"Josh", "Joshua"}, {"Jdgs", "Judges"}, {"Ruth", "Ruth"}, {"1Sm", "1 Samuel"}, {"2Sm", "2 Samuel"},
        {"1Ki", "1 Kings"}, {"2Ki", "2 Kings"}, {"1Chr", "1 Chronicles"}, {"2Chr", "2 Chronicles"}, {"Ezra", "Ezra"},
        {"Neh", "Nehemiah"}, {"Est", "Esther"}, {"Job", "Job"}, {"Psa", "Psalms"}, {"Prv", "Proverbs"},
        {"Eccl", "Ecclesiastes"}, {"SSol", "Song of Solomon"}, {"Isa", "Isaiah"}, {"Jer", "Jeremiah"},
        {"Lam", "Lamentations"}, {"Eze", "Ezekiel"}, {"Dan", "Daniel"}, {"Hos", "Hosea"}, {"Joel", "Joel"},
        {"Amos", "Amos"}, {"Obad", "Obadiah"}, {"Jonah", "Jonah"}, {"Mic", "Micah"}, {"Nahum", "Nahum"},
        {"Hab", "Habakkuk"}, {"Zep", "Zephaniah"}, {"Hag", "Haggai"}, {"Zec", "Zechariah"}, {"Mal", "Malachi"},
        {"Mat", "Matthew"}, {"Mark", "Mark"}, {"Luke", "Luke"}, {"John", "John"}, {"Acts", "Acts"},
        {"Rom", "Romans"}, {"1Cor", "1 Corinthians"}, {"2Cor", "2 Corinthians"}, {"Gal", "Galatians"},
        {"Eph", "Ephesians"}, {"Phi", "Philippians"}, {"Col", "Colossians"}, {"1Th", "1 Thessalonians"},
        {"2Th", "2 Thessalonians"}, {"1Tim", "1 Timothy"}, {"2Tim", "2 Timothy"}, {"Titus", "Titus"},
        {"Phmn", "Philemon"}, {"Heb", "Hebrews"}, {"Jas", "James"}, {"1Pet", "1 Peter"}, {"2Pet", "2 Peter"},
        {"1Jn", "1 John"}, {"2Jn", "2 John"}, {"3Jn", "3 John"}, {"Jude", "Jude"}, {"Rev", "Revelation"},
    };

    private Kjv() {}

    public static List<Document> documents(Path bibleData) {
        return documents(KjvText.verses(bibleData), bibleData.toString());
    }

    /**
     * Groups verses into chapters, checking that books come in canonical order and that chapters and
     * verses are numbered 1, 2, 3... (a file that is not the KJV text fails here).
     */
    static List<Document> documents(List<KjvText.Verse> verses, String where) {
        List<Document> out = new ArrayList<>(1189);
        int book = -1, chapter = 0, verse = 0;
        StringBuilder text = null;
        for (KjvText.Verse v : verses) {
            boolean newBook = book < 0 || !v.book().equals(BOOKS[book][0]);
            boolean newChapter = newBook || v.chapter() != chapter;
            if (newChapter && text != null) out.add(doc(book, chapter, text));
            if (newBook) {
                book++;
                if (book >= BOOKS.length || !v.book().equals(BOOKS[book][0])) {
                    throw new TritException(where + ": book '" + v.book() + "' at " + ref(v) + " where "
                            + (book < BOOKS.length ? "'" + BOOKS[book][0] + "'" : "the end") + " was expected");
                }
                chapter = 0;
            }
            if (newChapter) {
                if (v.chapter() != chapter + 1) throw new TritException(where + ": chapter out of order at " + ref(v));
                chapter = v.chapter();
                verse = 0;
                text = new StringBuilder(BOOKS[book][1]).append(' ').append(chapter).append("\n\n");
            } else {
                text.append('\n');
            }
            if (v.verse() != verse + 1) throw new TritException(where + ": verse out of order at " + ref(v));
            verse = v.verse();
            String t = Paragraphs.collapse(v.text());
            if (t.isEmpty()) throw new TritException(where + ": empty verse at " + ref(v));
            text.append(t);
        }
        if (book != BOOKS.length - 1) {
            throw new TritException(where + ": ends after " + (book + 1) + " of the " + BOOKS.length + " books");
        }
        out.add(doc(book, chapter, text));
        return out;
    }

    private static Document doc(int book, int chapter, StringBuilder text) {
        return new Document("kjv/" + BOOKS[book][1].replace(' ', '_') + "/" + chapter, text.toString());
    }

    private static String ref(KjvText.Verse v) {
        return v.book() + v.chapter() + ":" + v.verse();
    }
}
