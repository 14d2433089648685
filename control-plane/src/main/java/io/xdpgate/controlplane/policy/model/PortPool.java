package io.xdpgate.controlplane.policy.model;

import io.xdpgate.datapath.policy.PortRange;

/**
 * A gateway's pool of NAT ports, [base, base + count): each redirected connection holds one
 * port (or one pair, with source NAT) for its lifetime, which is what identifies it.
 */
public record PortPool(int base, int count) {
    public PortPool {
        if (base < 1 || count < 1 || base + count - 1 > 0xffff) {
            throw new IllegalArgumentException("a port pool is 1..65535 ports inside 1..65535, got base " + base
                    + " count " + count);
        }
    }

    /** "40000-40999" or a single port; the datapath's port parser judges the text. */
    public static PortPool parse(String text) {
        PortRange range = PortRange.parse(text);
        if (range.low() == 0) {
            throw new IllegalArgumentException("port pool \"" + text + "\" includes port 0, which no packet can use");
        }
        return new PortPool(range.low(), range.high() - range.low() + 1);
    }

    public int last() {
        return base + count - 1;
    }

    public boolean overlaps(PortPool other) {
        return base <= other.last() && other.base <= last();
    }

    @Override
    public String toString() {
        return count == 1 ? Integer.toString(base) : base + "-" + last();
    }
}
