package io.xdpgate.abi;

/**
 * The internet checksum (RFC 1071) and the checksums built from it: the IPv4
 * header checksum and the TCP, UDP, ICMP and ICMPv6 checksums with their
 * IPv4/IPv6 pseudo-headers.
 *
 * <p>Everything here computes from scratch. That is the point: the kernel
 * updates checksums incrementally when it rewrites addresses and ports, and
 * {@link #verify} is the independent oracle those updates are judged against.
 *
 * <p>Sums are kept unfolded in a {@code long}: a frame would need more than
 * 2^47 bytes to overflow it.
 */
public final class Checksum {

    private Checksum() {
    }

    /**
     * Adds the bytes as big-endian 16-bit words to {@code acc} (one's complement
     * arithmetic, unfolded). An odd final byte counts as the high byte of a word
     * padded with zero, so only the last range of a chained sum may be odd.
     */
    public static long sum(long acc, byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("range [" + offset + ", " + (offset + length)
                    + ") outside the " + data.length + " bytes given");
        }
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            acc += (data[i] & 0xff) << 8 | (data[i + 1] & 0xff);
        }
        if (i < end) {
            acc += (data[i] & 0xff) << 8;
        }
        return acc;
    }

    public static long sum(byte[] data, int offset, int length) {
        return sum(0, data, offset, length);
    }

    /** Folds the carries back in (end-around carry) to a 16-bit one's complement sum. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** RFC 1071: the complement of the folded one's complement sum of the range. */
    public static int internetChecksum(byte[] data, int offset, int length) {
        return ~fold(sum(data, offset, length)) & 0xffff;
    }

    /**
     * The IPv4 header checksum for the header at {@code l3Offset}, over the
     * number of bytes its IHL field says, with the checksum field taken as zero
     * (whatever it holds now).
     */
    public static int ipv4Header(byte[] packet, int l3Offset) {
        int headerLength = (packet[l3Offset] & 0x0f) * 4;
        if (headerLength < 20) {
            throw new IllegalArgumentException("IPv4 IHL " + headerLength / 4 + " is below the minimum 5");
        }
        return checksumSkippingField(0, packet, l3Offset, headerLength, 10);
    }

    /**
     * Sum of the pseudo-header (RFC 793/768 for IPv4, RFC 8200 section 8.1 for
     * IPv6). Both layouts hold the same words, so one formula serves: the
     * addresses, the protocol and the upper-layer length (32 bits for IPv6).
     *
     * @param src 4 or 16 bytes
     * @param dst same length as {@code src}; for IPv6 with a routing header, the final destination
     */
    public static long pseudoHeaderSum(byte[] src, byte[] dst, int protocol, int l4Length) {
        if ((src.length != 4 && src.length != 16) || src.length != dst.length) {
            throw new IllegalArgumentException("pseudo-header needs two 4-byte or two 16-byte addresses, got "
                    + src.length + " and " + dst.length);
        }
        if (src.length == 4 && l4Length > 0xffff) {
            throw new IllegalArgumentException("IPv4 upper-layer length " + l4Length + " does not fit 16 bits");
        }
        long acc = sum(0, src, 0, src.length);
        acc = sum(acc, dst, 0, dst.length);
        return acc + protocol + (l4Length >>> 16) + (l4Length & 0xffff);
    }

    /**
     * The checksum an upper-layer header should carry: TCP, UDP and ICMPv6 over
     * their pseudo-header, ICMP (IPv4) without one. The segment's own checksum
     * field is taken as zero. A UDP result of 0 is returned as 0xffff, because
     * 0 on the wire means "no checksum".
     *
     * @param segment the upper-layer header and its data, {@code length} bytes from {@code offset}
     */
    public static int transport(byte[] src, byte[] dst, int protocol, byte[] segment, int offset, int length) {
        int fieldOffset = checksumFieldOffset(protocol);
        long pseudo = protocol == IpProto.ICMP ? 0 : pseudoHeaderSum(src, dst, protocol, length);
        int value = checksumSkippingField(pseudo, segment, offset, length, fieldOffset);
        return protocol == IpProto.UDP && value == 0 ? 0xffff : value;
    }

    /** ICMP for IPv4 has no pseudo-header. */
    public static int icmpv4(byte[] segment, int offset, int length) {
        return checksumSkippingField(0, segment, offset, length, 2);
    }

    /** Where the checksum sits inside the upper-layer header of {@code protocol}. */
    public static int checksumFieldOffset(int protocol) {
        return switch (protocol) {
            case IpProto.TCP -> 16;
            case IpProto.UDP -> 6;
            case IpProto.ICMP, IpProto.ICMPV6 -> 2;
            default -> throw new IllegalArgumentException("protocol " + protocol + " has no checksum this class knows");
        };
    }

    /** True when a receiver would accept the range: its one's complement sum, checksum included, is 0xffff. */
    public static boolean accepts(long pseudo, byte[] data, int offset, int length) {
        return fold(sum(pseudo, data, offset, length)) == 0xffff;
    }

    private static int checksumSkippingField(long acc, byte[] data, int offset, int length, int fieldOffset) {
        if (length < fieldOffset + 2) {
            throw new IllegalArgumentException(length + " bytes cannot hold a checksum field at offset " + fieldOffset);
        }
        // fieldOffset is even, so the words after the field stay aligned.
        acc = sum(acc, data, offset, fieldOffset);
        acc = sum(acc, data, offset + fieldOffset + 2, length - fieldOffset - 2);
        return ~fold(acc) & 0xffff;
    }
}
