package io.xdpgate.datapath.abi;

/** IP protocol numbers that tuples carry (IANA), and their display names. */
public final class IpProto {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;

    private IpProto() {
    }

    public static String name(int proto) {
        return switch (proto) {
            case ICMP -> "icmp";
            case TCP -> "tcp";
            case UDP -> "udp";
            case ICMPV6 -> "icmpv6";
            default -> "proto " + proto;
        };
    }
}
