package io.xdpgate.datapath.policy;

import io.xdpgate.abi.IpProto;

import java.util.Locale;

/**
 * The IP protocol a rule names, or {@link #ANY}. Any number 0..255 is allowed;
 * tcp, udp, icmp and icmpv6 also by name.
 *
 * @param number the IP protocol number, or -1 for any
 */
public record Protocol(int number) {
    public static final Protocol ANY = new Protocol(-1);
    public static final Protocol ICMP = new Protocol(IpProto.ICMP);
    public static final Protocol TCP = new Protocol(IpProto.TCP);
    public static final Protocol UDP = new Protocol(IpProto.UDP);
    public static final Protocol ICMPV6 = new Protocol(IpProto.ICMPV6);

    public Protocol {
        if (number < -1 || number > 255) {
            throw new IllegalArgumentException("IP protocol must be 0..255 (or -1 for any), got " + number);
        }
    }

    /** "tcp", "udp", "icmp", "icmpv6", "any" (any case) or a number 0..255. */
    public static Protocol parse(String text) {
        String name = text.strip().toLowerCase(Locale.ROOT);
        Protocol named = switch (name) {
            case "any" -> ANY;
            case "tcp" -> TCP;
            case "udp" -> UDP;
            case "icmp" -> ICMP;
            case "icmpv6", "ipv6-icmp" -> ICMPV6;
            default -> null;
        };
        if (named != null) {
            return named;
        }
        if (name.isEmpty() || name.length() > 3 || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("unknown protocol \"" + text
                    + "\": use tcp, udp, icmp, icmpv6, any or a number 0..255");
        }
        return new Protocol(Integer.parseInt(name));
    }

    public boolean isAny() {
        return number < 0;
    }

    /** Protocols whose rules may name ports (or, for ICMP, message types). */
    public boolean hasPorts() {
        return equals(TCP) || equals(UDP) || isIcmpFamily();
    }

    /** ICMP or ICMPv6: the kernel looks up the message type where other protocols have the port. */
    public boolean isIcmpFamily() {
        return equals(ICMP) || equals(ICMPV6);
    }

    @Override
    public String toString() {
        return switch (number) {
            case -1 -> "any";
            case IpProto.ICMP -> "icmp";
            case IpProto.TCP -> "tcp";
            case IpProto.UDP -> "udp";
            case IpProto.ICMPV6 -> "icmpv6";
            default -> Integer.toString(number);
        };
    }
}
