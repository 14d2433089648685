package io.xdpgate.datapath.policy;

import java.util.Map;
import java.util.TreeSet;

/**
 * A Java stand-in for a BPF LPM trie: the value of the longest stored prefix
 * containing a key. Tries each stored length, longest first.
 */
final class LpmTable<P extends Prefix<P>, V> {
    private final Map<P, V> entries;
    private final int[] lengthsLongestFirst;

    LpmTable(Map<P, V> entries) {
        this.entries = entries;
        this.lengthsLongestFirst = new TreeSet<>(entries.keySet().stream().map(Prefix::length).toList())
                .descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The value of the longest prefix containing {@code key}, or null (a trie miss). */
    V lookup(P key) {
        for (int length : lengthsLongestFirst) {
            if (length <= key.length()) {
                V value = entries.get(key.truncate(length));
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }
}
