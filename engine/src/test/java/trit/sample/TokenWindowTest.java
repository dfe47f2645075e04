package trit.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TokenWindowTest {
    @Test
    void keepsTheMostRecentTokensOldestFirst() {
        TokenWindow w = new TokenWindow(3);
        w.addAll(1, 2);
        assertArrayEquals(new int[] {1, 2}, w.toArray());
        w.addAll(3, 4, 5);
        assertArrayEquals(new int[] {3, 4, 5}, w.toArray());
        assertEquals(3, w.size());
        assertEquals(3, w.get(0));
        assertEquals(5, w.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> w.get(3));
        w.clear();
        assertEquals(0, w.size());
        w.add(9);
        assertArrayEquals(new int[] {9}, w.toArray());
    }

    @Test
    void zeroCapacityKeepsNothing() {
        TokenWindow w = new TokenWindow(0);
        w.addAll(1, 2, 3);
        assertEquals(0, w.size());
        assertEquals(0, w.distinctRecent(64, new int[0]));
    }

    @Test
    void rejectsNegativeIds() {
        assertThrows(IllegalArgumentException.class, () -> new TokenWindow(4).add(-1));
        assertThrows(IllegalArgumentException.class, () -> new TokenWindow(-1));
    }

    @Test
    void distinctRecentDeduplicatesTheLastN() {
        TokenWindow w = new TokenWindow(8);
        w.addAll(7, 3, 3, 9, 7, 1, 1, 3);     // wraps nothing yet
        int[] out = new int[8];
        int n = w.distinctRecent(8, out);
        assertArrayEquals(new int[] {1, 3, 7, 9}, Arrays.copyOf(out, n));
        n = w.distinctRecent(3, out);          // last three: 1, 1, 3
        assertArrayEquals(new int[] {1, 3}, Arrays.copyOf(out, n));
        n = w.distinctRecent(100, out);        // more than held: all held
        assertEquals(4, n);
        w.addAll(5, 5);                        // now 3, 9, 7, 1, 1, 3, 5, 5
        n = w.distinctRecent(8, out);
        assertArrayEquals(new int[] {1, 3, 5, 7, 9}, Arrays.copyOf(out, n));
        assertEquals(0, w.distinctRecent(0, out));
        assertArrayEquals(new int[] {3, 9, 7, 1, 1, 3, 5, 5}, w.toArray());   // left as it was
    }
}
