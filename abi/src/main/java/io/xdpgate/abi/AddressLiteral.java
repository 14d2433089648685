package io.xdpgate.abi;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IPv4 and IPv6 address literals into bytes without ever touching DNS.
 * {@link InetAddress#getByName} would resolve anything that is not a literal,
 * which in a firewall's configuration is a trap: a typo would become a lookup.
 */
public final class AddressLiteral {

    private AddressLiteral() {
    }

    /** 4 bytes for dotted-quad text, 16 bytes for IPv6 text (including "::ffff:a.b.c.d"). */
    public static byte[] parseBytes(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text, text);
    }

    /**
     * The address as an {@link InetAddress}. Note that Java turns 16 bytes of
     * the IPv4-mapped form into an {@code Inet4Address}; use {@link #parseBytes}
     * when the IPv6 spelling matters.
     */
    public static InetAddress parse(String text) {
        return toInetAddress(parseBytes(text));
    }

    public static InetAddress toInetAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + bytes.length, e);
        }
    }

    /**
     * Text for 4 or 16 address bytes: dotted quad, or the RFC 5952 canonical
     * IPv6 form (lower case, longest run of two or more zero groups as "::").
     */
    public static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        if (bytes.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + bytes.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static byte[] parseIpv4(String part, String whole) {
        String[] octets = part.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address (need four dotted decimal octets): \"" + whole + "\"");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) decimalOctet(octets[i], whole);
        }
        return out;
    }

    private static int decimalOctet(String octet, String whole) {
        if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not an IPv4 address (bad octet \"" + octet + "\"): \"" + whole + "\"");
        }
        // Some parsers read a leading zero as octal; refuse rather than guess.
        if (octet.length() > 1 && octet.charAt(0) == '0') {
            throw new IllegalArgumentException("not an IPv4 address (octet \"" + octet + "\" has a leading zero): \"" + whole + "\"");
        }
        int value = Integer.parseInt(octet);
        if (value > 255) {
            throw new IllegalArgumentException("not an IPv4 address (octet " + value + " > 255): \"" + whole + "\"");
        }
        return value;
    }

    private static byte[] parseIpv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw new IllegalArgumentException("not an IPv6 address (\"::\" appears twice): \"" + text + "\"");
        }
        int[] head = gap < 0 ? groups(text, text, true) : groups(text.substring(0, gap), text, false);
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), text, true);
        int count = head.length + tail.length;
        if (gap < 0 ? count != 8 : count > 7) {
            throw new IllegalArgumentException("not an IPv6 address (" + count + " groups"
                    + (gap < 0 ? ", need 8" : ", at most 7 with \"::\"") + "): \"" + text + "\"");
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) {
            putGroup(out, i, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            putGroup(out, 8 - tail.length + i, tail[i]);
        }
        return out;
    }

    /** 16-bit groups of one side of "::"; a trailing dotted quad counts as two groups. */
    private static int[] groups(String side, String whole, boolean mayEndInIpv4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int last = parts.length - 1;
        boolean ipv4Tail = parts[last].indexOf('.') >= 0;
        if (ipv4Tail && !mayEndInIpv4) {
            throw new IllegalArgumentException("not an IPv6 address (dotted quad not at the end): \"" + whole + "\"");
        }
        int[] out = new int[parts.length + (ipv4Tail ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            if (i == last && ipv4Tail) {
                byte[] v4 = parseIpv4(parts[i], whole);
                out[i] = (v4[0] & 0xff) << 8 | (v4[1] & 0xff);
                out[i + 1] = (v4[2] & 0xff) << 8 | (v4[3] & 0xff);
            } else {
                out[i] = hexGroup(parts[i], whole);
            }
        }
        return out;
    }

    private static int hexGroup(String group, String whole) {
        if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(AddressLiteral::isAsciiHex)) {
            throw new IllegalArgumentException("not an IPv6 address (bad group \"" + group + "\"): \"" + whole + "\"");
        }
        return Integer.parseInt(group, 16);
    }

    static boolean isAsciiHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static void putGroup(byte[] out, int index, int value) {
        out[2 * index] = (byte) (value >>> 8);
        out[2 * index + 1] = (byte) value;
    }
}
