package io.xdpgate.abi;

/** IP protocol / IPv6 next-header numbers (IANA) that xdpgate handles, and their display names. */
public final class IpProto {
    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int GRE = 47;
    public static final int ESP = 50;
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    public static final int NO_NEXT_HEADER = 59;
    public static final int DESTINATION_OPTIONS = 60;

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

    /**
     * True for the IPv6 next-header values that are extension headers with the
     * common "next header, length" layout and so can be skipped to reach the
     * upper layer. ESP is not among them: what follows it is encrypted.
     */
    public static boolean isIpv6ExtensionHeader(int nextHeader) {
        return switch (nextHeader) {
            case HOP_BY_HOP, ROUTING, FRAGMENT, AH, DESTINATION_OPTIONS,
                 135 /* mobility */, 139 /* HIP */, 140 /* shim6 */, 253, 254 /* experiments */ -> true;
            default -> false;
        };
    }
}
