package trit.corpus;

import java.util.Locale;
import trit.TritException;

/**
 * The three fixed parts of the corpus. A document's split follows from its position among its
 * source's documents (in the source's order): every 20th document, starting with the 10th, is
 * validation; every 20th, starting with the 20th, is test; the rest is training. That keeps whole
 * documents together, spreads the held-out text evenly over every novel and book, and gives about
 * 90/5/5 of the characters.
 */
public enum Split {
    TRAIN, VALID, TEST;

    /** The split of the {@code index}-th document (from 0) of a source. */
    public static Split ofDocument(int index) {
        return switch (index % 20) {
            case 9 -> VALID;
            case 19 -> TEST;
            default -> TRAIN;
        };
    }

    /** "train", "valid", "test". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String fileName() {
        return label() + ".txt";
    }

    public static Split parse(String s) {
        for (Split x : values()) if (x.label().equals(s)) return x;
        if ("validation".equals(s)) return VALID;
        throw new TritException("unknown split '" + s + "' (train, valid or test)");
    }
}
