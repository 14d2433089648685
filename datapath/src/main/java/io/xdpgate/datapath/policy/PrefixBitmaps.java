package io.xdpgate.datapath.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Turns "which rules name which prefix" into the bitmaps an LPM trie must hold
 * so that one longest-prefix lookup yields every rule that matches on the field.
 *
 * <p>The bitmap stored for prefix P is the OR of the rules filed under P and
 * under every stored ancestor of P that P inherits from. Then, for any key, the
 * longest stored prefix containing it carries exactly the rules whose prefix
 * contains the key: every such prefix is stored, contains the key, and so is
 * either that longest prefix or one of its ancestors.
 *
 * <p>Prefixes are processed shortest first, so each one starts from a copy of
 * its nearest inheriting ancestor's finished bitmap and only adds its own
 * rules. Finding that ancestor costs one hash lookup per distinct prefix
 * length shorter than P (at most 128), never a scan of the rules.
 */
final class PrefixBitmaps {

    private PrefixBitmaps() {
    }

    /**
     * @param own      rule positions filed under each prefix (every prefix to store is a key, maybe with no rules)
     * @param fallback words for a prefix with no inheriting ancestor (not modified)
     * @param inherits whether a prefix (second argument) inherits the rules of an ancestor (first)
     * @return a bitmap per prefix, shortest prefixes first
     */
    static <P extends Prefix<P>> Map<P, RuleBitmap> compute(Map<P, List<Integer>> own, long[] fallback,
                                                            BiPredicate<P, P> inherits) {
        List<P> prefixes = new ArrayList<>(own.keySet());
        Collections.sort(prefixes);
        int[] lengthsLongestFirst = new TreeSet<>(prefixes.stream().map(Prefix::length).toList())
                .descendingSet().stream().mapToInt(Integer::intValue).toArray();

        Map<P, RuleBitmap> result = new LinkedHashMap<>();
        Map<P, long[]> words = new HashMap<>();
        for (P prefix : prefixes) {
            long[] base = fallback;
            for (int length : lengthsLongestFirst) {
                if (length >= prefix.length()) {
                    continue;
                }
                P ancestor = prefix.truncate(length);
                long[] ancestorWords = words.get(ancestor);
                if (ancestorWords != null && inherits.test(ancestor, prefix)) {
                    base = ancestorWords;
                    break;
                }
            }
            long[] mine = base.clone();
            for (int position : own.get(prefix)) {
                RuleBitmap.set(mine, position);
            }
            words.put(prefix, mine);
            result.put(prefix, RuleBitmap.wrap(mine));
        }
        return result;
    }
}
