package trit.corpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import trit.TritException;

/**
 * Jane Austen's six novels from the R package janeaustenr (Debian: r-cran-janeaustenr), one character
 * vector of lines per novel in its lazy-load data. Each chapter is a document: it starts at its
 * "CHAPTER I" / "Chapter 1" heading, a "VOLUME II" heading just before it belongs to it, and whatever
 * precedes a novel's first chapter (title, author, the advertisement of Northanger Abbey) opens the first.
 */
public final class Austen {
    /** Where Debian installs the data, as the lazy-load base name. */
    public static final Path DEBIAN_DATA = Path.of("/usr/lib/R/site-library/janeaustenr/data/Rdata");

    /** The R object names, in order of publication. */
    public static final List<String> NOVELS = List.of("sensesensibility", "prideprejudice", "mansfieldpark", "emma",
            "northangerabbey", "persuasion");

    private static final Pattern CHAPTER = Pattern.compile("(CHAPTER|Chapter) ([IVXLC]+|[0-9]+)\\.?");
    private static final Pattern VOLUME = Pattern.compile("VOLUME [IVX]+");

    private Austen() {}

    /** The chapters of every novel, novels in order of publication. */
    public static List<Document> documents(Path rdataBase) {
        RLazyLoad db = RLazyLoad.open(rdataBase);
        List<Document> out = new ArrayList<>();
        for (String novel : NOVELS) out.addAll(chapters(novel, db.strings(novel), rdataBase + " [" + novel + "]"));
        return out;
    }

    /** Cuts a novel's lines into chapter documents. */
    static List<Document> chapters(String novel, String[] lines, String where) {
        List<String> paras = Paragraphs.of(lines);
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < paras.size(); i++) {
            if (!CHAPTER.matcher(paras.get(i)).matches()) continue;
            int s = i;
            while (s > 0 && VOLUME.matcher(paras.get(s - 1)).matches()) s--;
            starts.add(starts.isEmpty() ? 0 : s);
        }
        if (starts.isEmpty()) throw new TritException(where + ": no chapter headings found");
        List<Document> out = new ArrayList<>(starts.size());
        for (int c = 0; c < starts.size(); c++) {
            int end = c + 1 < starts.size() ? starts.get(c + 1) : paras.size();
            String text = String.join("\n\n", paras.subList(starts.get(c), end));
            out.add(new Document("austen/" + novel + "/" + (c + 1), text));
        }
        return out;
    }
}
