package io.xdpgate.abi;


import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address as the ABI stores it: 16 bytes, IPv4 in the mapped form ::ffff:a.b.c.d so both
 * families share one key layout. Immutable.
 */
public final class IpAddr {
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    /** :: — "no address" in the ABI's optional address fields */
    public static final IpAddr ZERO = new IpAddr(new byte[Abi.XG_ADDR_LEN]);

    private final byte[] bytes;

    private IpAddr(byte[] bytes) {
        this.bytes = bytes;
    }

    /** From the 16 stored bytes. */
    public static IpAddr of(byte[] sixteen) {
        if (sixteen.length != Abi.XG_ADDR_LEN) {
            throw new IllegalArgumentException("an address is " + Abi.XG_ADDR_LEN + " bytes, got " + sixteen.length);
        }
        return new IpAddr(sixteen.clone());
    }

    public static IpAddr of(InetAddress address) {
        byte[] raw = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofIpv4Bits(((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff));
        }
        return new IpAddr(raw);
    }

    /** The IPv4 address whose value (as a big-endian number) is {@code bits}, e.g. 0xc6120102 = 198.18.1.2. */
    public static IpAddr ofIpv4Bits(int bits) {
        byte[] b = Arrays.copyOf(V4_MAPPED_PREFIX, Abi.XG_ADDR_LEN);
        b[12] = (byte) (bits >>> 24);
        b[13] = (byte) (bits >>> 16);
        b[14] = (byte) (bits >>> 8);
        b[15] = (byte) bits;
        return new IpAddr(b);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** True for an IPv4-mapped address. */
    public boolean isIpv4() {
        return Arrays.equals(bytes, 0, V4_MAPPED_PREFIX.length, V4_MAPPED_PREFIX, 0, V4_MAPPED_PREFIX.length);
    }

    /** {@link Abi#XG_FAMILY_IPV4} or {@link Abi#XG_FAMILY_IPV6}. */
    public int family() {
        return isIpv4() ? Abi.XG_FAMILY_IPV4 : Abi.XG_FAMILY_IPV6;
    }

    /** The IPv4 address as a big-endian number, as {@code __be32} fields hold it. */
    public int ipv4Bits() {
        if (!isIpv4()) {
            throw new IllegalStateException(this + " is not an IPv4 address");
        }
        return (bytes[12] & 0xff) << 24 | (bytes[13] & 0xff) << 16 | (bytes[14] & 0xff) << 8 | (bytes[15] & 0xff);
    }

    /** An Inet4Address for a mapped address, else an Inet6Address; no name lookup. */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(isIpv4() ? Arrays.copyOfRange(bytes, 12, 16) : bytes.clone());
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddr other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Dotted quad for IPv4, RFC 5952 text (longest zero run as ::) for IPv6. */
    @Override
    public String toString() {
        return AddressLiteral.format(isIpv4() ? Arrays.copyOfRange(bytes, 12, 16) : bytes);
    }
}
