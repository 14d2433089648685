package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Abi;

/** A policy with more rules than the kernel's rule bitmaps have bits. */
public class PolicyTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PolicyTooLargeException(int rules) {
        super("policy has " + rules + " rules; the kernel's rule bitmaps hold at most " + Abi.XG_MAX_RULES
                + " (XG_MAX_RULES)");
    }
}
