package trit.tokenizer;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The texts of the special tokens in a trie, to find in one pass which of them occur in a text at all,
 * so that the (order-sensitive) partition only searches for those.
 */
final class TokenTrie {
    private static final class Node {
        final Map<Character, Node> next = new HashMap<>(4);
        int id = -1;
    }

    private final Node root = new Node();

    TokenTrie(String[] texts, int[] ids) {
        for (int id : ids) {
            Node n = root;
            for (char c : texts[id].toCharArray()) n = n.next.computeIfAbsent(c, k -> new Node());
            n.id = id;
        }
    }

    /** The ids of the tokens that occur somewhere in {@code text}. */
    BitSet occurring(String text) {
        BitSet found = new BitSet();
        for (int i = 0; i < text.length(); i++) {
            Node n = root.next.get(text.charAt(i));
            for (int j = i + 1; n != null; j++) {
                if (n.id >= 0) found.set(n.id);
                if (j >= text.length()) break;
                n = n.next.get(text.charAt(j));
            }
        }
        return found;
    }
}
