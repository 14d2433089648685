package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.AddressLiteral;
import io.xdpgate.abi.IpAddr;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A prefix of the kernel's 128-bit address space, where IPv4 addresses live in
 * the IPv4-mapped form ::ffff:a.b.c.d (so an IPv4 /n is a /(96+n) here). This
 * is what a pol_src / pol_dst key holds, without the generation byte.
 *
 * @param high   address bits 0..63 (the first 8 bytes, big endian)
 * @param low    address bits 64..127
 * @param length prefix length over the 128 address bits; bits past it are zero
 */
public record AddressPrefix(long high, long low, int length) implements Prefix<AddressPrefix> {

    /** The whole space: what a rule without an address is filed under. */
    public static final AddressPrefix ROOT = new AddressPrefix(0, 0, 0);
    /** ::ffff:0:0/96, every IPv4 address. */
    public static final AddressPrefix IPV4_MAPPED = new AddressPrefix(0, 0x0000_ffff_0000_0000L, 96);

    public AddressPrefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("address prefix length must be 0..128, got " + length);
        }
        if ((high & ~highMask(length)) != 0 || (low & ~lowMask(length)) != 0) {
            throw new IllegalArgumentException("address prefix has bits set past its length " + length);
        }
    }

    /** The /128 of one address (4 bytes are mapped, 16 bytes taken as they are). */
    public static AddressPrefix ofAddress(byte[] address) {
        return ofAddress(AddressLiteral.toInetAddress(address));
    }

    public static AddressPrefix ofAddress(InetAddress address) {
        return ofAddress(IpAddr.of(address));
    }

    /** The /128 of an address in the form the kernel keys on (IPv4 as ::ffff:a.b.c.d). */
    public static AddressPrefix ofAddress(IpAddr address) {
        byte[] mapped = address.bytes();
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (mapped[i] & 0xff);
            low = low << 8 | (mapped[8 + i] & 0xff);
        }
        return new AddressPrefix(high, low, 128);
    }

    @Override
    public AddressPrefix truncate(int newLength) {
        if (newLength > length) {
            throw new IllegalArgumentException("cannot lengthen /" + length + " to /" + newLength);
        }
        return new AddressPrefix(high & highMask(newLength), low & lowMask(newLength), newLength);
    }

    public boolean contains(AddressPrefix other) {
        return other.length >= length && other.truncate(length).equals(this);
    }

    /** True when this prefix lies inside ::ffff:0:0/96, i.e. it is an IPv4 prefix. */
    public boolean isIpv4() {
        return IPV4_MAPPED.contains(this);
    }

    /** The 16 key address bytes. */
    public byte[] addressBytes() {
        byte[] out = new byte[Abi.XG_ADDR_LEN];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (high >>> (56 - 8 * i));
            out[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return out;
    }

    /** The LPM key's prefixlen: the 8 generation bits plus this prefix's length. */
    public int keyPrefixLength() {
        return 8 + length;
    }

    @Override
    public int compareTo(AddressPrefix other) {
        int byLength = Integer.compare(length, other.length);
        if (byLength != 0) {
            return byLength;
        }
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        byte[] bytes = addressBytes();
        if (isIpv4()) {
            return AddressLiteral.format(Arrays.copyOfRange(bytes, 12, 16)) + "/" + (length - 96) + " (mapped /" + length + ")";
        }
        return AddressLiteral.format(bytes) + "/" + length;
    }

    private static long highMask(int length) {
        return length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
    }

    private static long lowMask(int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }
}
