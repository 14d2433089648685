package io.xdpgate.datapath.policy;

/** Address family of a prefix or a packet. */
public enum IpFamily {
    IPV4(32),
    IPV6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    /** Address width in bits. */
    public int bits() {
        return bits;
    }
}
