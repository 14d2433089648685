package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Abi;

/**
 * A policy that does not fit the kernel's maps: more rules than the rule bitmaps have bits
 * (the compiler refuses it), or more entries in a map than one generation may use (the map
 * writer refuses it before touching any map). Either way the running policy stays in force.
 */
public class PolicyTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** More than XG_MAX_RULES rules. */
    public PolicyTooLargeException(int rules) {
        super("policy has " + rules + " rules; the kernel's rule bitmaps hold at most " + Abi.XG_MAX_RULES
                + " (XG_MAX_RULES)");
    }

    /** {@code needed} entries in {@code map}, where one generation has room for {@code available}. */
    public PolicyTooLargeException(String map, int needed, int available) {
        super("policy needs " + needed + " entries in map " + map + " but a generation has room for "
                + available + "; split port ranges or merge prefixes");
    }
}
