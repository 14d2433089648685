package io.xdpgate.datapath.policy;

import io.xdpgate.abi.AddressLiteral;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network prefix of a rule: "198.18.2.0/24", "2001:db8::/32",
 * or a bare address meaning /32 or /128.
 *
 * <p>An IPv4 prefix matches only IPv4 packets and an IPv6 prefix only IPv6
 * packets, "::/0" included: only a rule with no prefix at all matches both.
 * IPv6 text inside the IPv4-mapped range ::ffff:0:0/96 is refused, because
 * the kernel cannot tell it from IPv4; write the IPv4 form instead.
 */
public final class Cidr {
    private final IpFamily family;
    private final AddressPrefix prefix;

    private Cidr(IpFamily family, AddressPrefix prefix) {
        this.family = family;
        this.prefix = prefix;
    }

    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "CIDR text");
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address;
        try {
            address = AddressLiteral.parseBytes(addressText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad CIDR \"" + text + "\": " + e.getMessage(), e);
        }
        int bits = address.length * 8;
        int length = bits;
        if (slash >= 0) {
            String lengthText = trimmed.substring(slash + 1);
            if (lengthText.isEmpty() || lengthText.length() > 3 || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("bad CIDR \"" + text + "\": prefix length \"" + lengthText
                        + "\" is not a number 0.." + bits);
            }
            length = Integer.parseInt(lengthText);
            if (length > bits) {
                throw new IllegalArgumentException("bad CIDR \"" + text + "\": prefix length " + length
                        + " exceeds the " + bits + " bits of an IPv" + (bits == 32 ? 4 : 6) + " address");
            }
        }
        return of(address, length, text);
    }

    public static Cidr of(InetAddress address, int prefixLength) {
        return of(address.getAddress(), prefixLength, address.getHostAddress() + "/" + prefixLength);
    }

    private static Cidr of(byte[] address, int familyLength, String text) {
        IpFamily family = address.length == 4 ? IpFamily.IPV4 : IpFamily.IPV6;
        if (familyLength < 0 || familyLength > family.bits()) {
            throw new IllegalArgumentException("bad CIDR \"" + text + "\": prefix length must be 0.." + family.bits());
        }
        int length = familyLength + (family == IpFamily.IPV4 ? 96 : 0);
        AddressPrefix host = AddressPrefix.ofAddress(address);
        AddressPrefix network = host.truncate(length);
        if (hostBitsSet(host, network)) {
            byte[] hostPart = hostPart(address, familyLength);
            throw new IllegalArgumentException("bad CIDR \"" + text + "\": host bits " + AddressLiteral.format(hostPart)
                    + " are set (bits " + familyLength + ".." + (family.bits() - 1) + " must be zero); the network is "
                    + AddressLiteral.format(familyBytes(network, family)) + "/" + familyLength);
        }
        if (family == IpFamily.IPV6 && network.isIpv4()) {
            throw new IllegalArgumentException("bad CIDR \"" + text + "\": an IPv4-mapped IPv6 prefix;"
                    + " write it in IPv4 form (" + AddressLiteral.format(familyBytes(network, IpFamily.IPV4))
                    + "/" + (length - 96) + ")");
        }
        return new Cidr(family, network);
    }

    private static boolean hostBitsSet(AddressPrefix host, AddressPrefix network) {
        return host.high() != network.high() || host.low() != network.low();
    }

    private static byte[] hostPart(byte[] address, int familyLength) {
        byte[] out = address.clone();
        for (int bit = 0; bit < familyLength; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    private static byte[] familyBytes(AddressPrefix prefix, IpFamily family) {
        byte[] bytes = prefix.addressBytes();
        return family == IpFamily.IPV4 ? Arrays.copyOfRange(bytes, 12, 16) : bytes;
    }

    public IpFamily family() {
        return family;
    }

    public boolean isIpv4() {
        return family == IpFamily.IPV4;
    }

    /** In the family's own terms: 0..32 for IPv4, 0..128 for IPv6. */
    public int prefixLength() {
        return prefix.length() - (family == IpFamily.IPV4 ? 96 : 0);
    }

    /** The network address (host bits zero). */
    public InetAddress address() {
        return AddressLiteral.toInetAddress(familyBytes(prefix, family));
    }

    /** The prefix in the kernel's mapped 128-bit space. */
    public AddressPrefix mappedPrefix() {
        return prefix;
    }

    /**
     * True when {@code address} is of this prefix's family and inside it. As in
     * the kernel, an IPv4-mapped IPv6 address counts as IPv4.
     */
    public boolean contains(InetAddress address) {
        AddressPrefix host = AddressPrefix.ofAddress(address);
        IpFamily addressFamily = host.isIpv4() ? IpFamily.IPV4 : IpFamily.IPV6;
        return addressFamily == family && prefix.contains(host);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && other.family == family && other.prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }

    @Override
    public String toString() {
        return AddressLiteral.format(familyBytes(prefix, family)) + "/" + prefixLength();
    }
}
