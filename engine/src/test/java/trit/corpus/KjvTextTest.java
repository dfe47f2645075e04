package trit.corpus;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import trit.TritException;

/** The compress(1) LZW decoder and the bible.data container on hand-made inputs. */
class KjvTextTest {
    /** Packs codes of {@code bits} bits, least significant bit first, into {@code groupBytes}-byte groups. */
    static byte[] pack(int bits, int[] codes) {
        int nbytes = (codes.length * bits + 7) / 8;
        byte[] out = new byte[nbytes];
        for (int i = 0; i < codes.length; i++) {
            for (int k = 0; k < bits; k++) {
                int bit = i * bits + k;
                if ((codes[i] >> k & 1) != 0) out[bit >> 3] |= (byte) (1 << (bit & 7));
            }
        }
        return out;
    }

    @Test
    void decodesLzwIncludingTheKwKwKCase() {
        // "ABABABA" compresses to A, B, 257 ("AB"), 259 ("ABA", defined by this very code)
        byte[] in = pack(9, new int[] {65, 66, 257, 259});
        assertEquals("ABABABA", new String(Lzw.decode(in, 0, in.length, 16, 100, "t"), StandardCharsets.US_ASCII));
    }

    @Test
    void clearStartsANewGroupOfCodes() {
        // after CLEAR (256) compress pads the rest of the 9-byte group; decoding resumes in the next one
        byte[] g1 = java.util.Arrays.copyOf(pack(9, new int[] {65, 256}), 9);
        byte[] g2 = pack(9, new int[] {66, 67});
        byte[] in = new byte[g1.length + g2.length];
        System.arraycopy(g1, 0, in, 0, g1.length);
        System.arraycopy(g2, 0, in, g1.length, g2.length);
        assertEquals("ABC", new String(Lzw.decode(in, 0, in.length, 16, 100, "t"), StandardCharsets.US_ASCII));
    }

    @Test
    void corruptLzwIsAClearError() {
        byte[] beyond = pack(9, new int[] {65, 300});
        TritException e = assertThrows(TritException.class, () -> Lzw.decode(beyond, 0, beyond.length, 16, 100, "w"));
        assertTrue(e.getMessage().contains("beyond the table"), e.getMessage());
        byte[] first = pack(9, new int[] {300});
        assertThrows(TritException.class, () -> Lzw.decode(first, 0, first.length, 16, 100, "w"));
        byte[] tooLong = pack(9, new int[] {65, 66, 257, 259});
        assertThrows(TritException.class, () -> Lzw.decode(tooLong, 0, tooLong.length, 16, 5, "w"));
    }

    /** An EC02 file of one window holding {@code text}, compressed without any repeats (codes = bytes). */
    static byte[] dataFile(String text, int wsize) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        int[] codes = new int[t.length];
        for (int i = 0; i < t.length; i++) codes[i] = t[i];
        // every code is a new entry, so widths grow at 512 entries; keep fixtures below that
        assertTrue(t.length < 250);
        byte[] win = pack(9, codes);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("EC02".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[80]);
        int start = 84 + 8 + 8;
        for (int v : new int[] {wsize, 1, start, start + win.length}) {
            b.write(v >>> 24);
            b.write(v >>> 16 & 0xFF);
            b.write(v >>> 8 & 0xFF);
            b.write(v & 0xFF);
        }
        b.writeBytes(win);
        return b.toByteArray();
    }

    @Test
    void readsVersesFromAContainer() {
        String text = "Title line.\nGe1:1 In the beginning.\nGe1:2 And  the earth.\nGe2:1 Thus.\nExo1:1 Now these.\n";
        byte[] file = dataFile(text, 1024);
        assertEquals(text, KjvText.text(file, "t"));
        List<KjvText.Verse> v = KjvText.verses(text, "t");
        assertEquals(4, v.size());
        assertEquals(new KjvText.Verse("Ge", 2, 1, "Thus."), v.get(2));
    }

    @Test
    void badContainersAreClearErrors() {
        byte[] good = dataFile("T\nGe1:1 A.\n", 1024);
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertTrue(assertThrows(TritException.class, () -> KjvText.text(magic, "t")).getMessage().contains("'EC'"));
        byte[] version = good.clone();
        version[3] = '9';
        assertThrows(TritException.class, () -> KjvText.text(version, "t"));
        byte[] table = good.clone();
        table[84 + 8 + 4] = 0x7F; // end of window 0 far past the file
        assertThrows(TritException.class, () -> KjvText.text(table, "t"));
        byte[] count = good.clone();
        count[84 + 4] = 0x7F; // 2 billion windows
        assertThrows(TritException.class, () -> KjvText.text(count, "t"));
        for (int n = 0; n < good.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            try {
                KjvText.text(cut, "t");
            } catch (TritException expected) {
                // fine: a clear error
            }
        }
        assertThrows(TritException.class, () -> KjvText.verses("T\nnot a verse\n", "t"));
    }

    @Test
    void chaptersMustComeInOrder() {
        List<KjvText.Verse> verses = new ArrayList<>();
        verses.add(new KjvText.Verse("Ge", 1, 1, "In the beginning."));
        verses.add(new KjvText.Verse("Ge", 1, 2, "And  the earth."));
        verses.add(new KjvText.Verse("Ge", 2, 1, "Thus."));
        verses.add(new KjvText.Verse("Ge", 4, 1, "Skipped one."));
        TritException e = assertThrows(TritException.class, () -> Kjv.documents(verses, "t"));
        assertTrue(e.getMessage().contains("chapter out of order at Ge4:1"), e.getMessage());
        List<KjvText.Verse> wrongBook = List.of(new KjvText.Verse("Exo", 1, 1, "x"));
        assertThrows(TritException.class, () -> Kjv.documents(wrongBook, "t"));
    }
}
