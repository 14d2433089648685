package io.xdpgate.datapath.policy;

/**
 * An aligned block of ports: the {@code 2^(16 - length)} ports starting at
 * {@code base}, i.e. a prefix of the 16 port bits.
 */
public record PortBlock(int base, int length) {

    public PortBlock {
        if (length < 0 || length > 16) {
            throw new IllegalArgumentException("port prefix length must be 0..16, got " + length);
        }
        if (base < 0 || base > 0xffff || (base & ((1 << (16 - length)) - 1)) != 0) {
            throw new IllegalArgumentException("port block base " + base + " is not aligned to a /" + length);
        }
    }

    public int first() {
        return base;
    }

    public int last() {
        return base + (1 << (16 - length)) - 1;
    }

    @Override
    public String toString() {
        return base + "/" + length + " (" + first() + "-" + last() + ")";
    }
}
