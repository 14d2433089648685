package io.xdpgate.datapath.policy;

/**
 * A key of one of the kernel's LPM tries, without its generation byte: a
 * value and how many of its leading bits count. Ordered by length, then value.
 */
public interface Prefix<P extends Prefix<P>> extends Comparable<P> {

    int length();

    /** The ancestor of this prefix with {@code length} bits (at most this prefix's length). */
    P truncate(int length);
}
