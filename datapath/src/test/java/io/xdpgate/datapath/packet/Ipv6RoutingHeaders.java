package io.xdpgate.datapath.packet;

import java.util.Arrays;

/**
 * RFC 8200 section 8.1: with a routing header, the pseudo-header of an
 * upper-layer checksum carries the final destination, not the address in the
 * IPv6 header. While segments are left, the final destination sits in the
 * routing header: the last address of a type 0 or type 2 header, the first
 * segment (segment list[0]) of a type 4 segment routing header.
 */
final class Ipv6RoutingHeaders {

    /** Addresses (type 0, 2) and segments (type 4) both start 8 bytes into the header. */
    private static final int ADDRESSES_AT = 8;

    private Ipv6RoutingHeaders() {
    }

    /**
     * The final destination named by the routing header at {@code offset}, or
     * null when the header does not change it (no segments left, or a routing
     * type whose layout this class does not know).
     */
    static byte[] finalDestination(byte[] buf, int offset, int length) {
        int type = buf[offset + 2] & 0xff;
        int segmentsLeft = buf[offset + 3] & 0xff;
        int addresses = (length - ADDRESSES_AT) / 16;
        if (segmentsLeft == 0 || addresses < 1) {
            return null;
        }
        int at = switch (type) {
            case 0, 2 -> offset + ADDRESSES_AT + 16 * (addresses - 1);
            case 4 -> offset + ADDRESSES_AT;
            default -> -1;
        };
        return at < 0 ? null : Arrays.copyOfRange(buf, at, at + 16);
    }
}
