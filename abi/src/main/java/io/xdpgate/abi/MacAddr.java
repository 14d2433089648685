package io.xdpgate.abi;

import java.util.Arrays;
import java.util.HexFormat;

/** A 6-byte Ethernet address. Immutable. */
public final class MacAddr {
    public static final int LENGTH = 6;
    public static final MacAddr ZERO = new MacAddr(new byte[LENGTH]);
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    private final byte[] bytes;

    private MacAddr(byte[] bytes) {
        this.bytes = bytes;
    }

    public static MacAddr of(byte[] six) {
        if (six.length != LENGTH) {
            throw new IllegalArgumentException("a MAC address is 6 bytes, got " + six.length);
        }
        return new MacAddr(six.clone());
    }

    /** The six bytes at {@code offset} of a frame. */
    public static MacAddr of(byte[] bytes, int offset) {
        return new MacAddr(Arrays.copyOfRange(bytes, offset, offset + LENGTH));
    }

    /** From {@code 02:00:5e:10:00:01}. */
    public static MacAddr parse(String text) {
        return of(COLONS.parseHex(text));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddr other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return COLONS.formatHex(bytes);
    }
}
