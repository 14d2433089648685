package io.xdpgate.datapath.packet;

import java.util.Locale;

/** A 48-bit Ethernet address held in the low bits of a long, so it compares by value. */
public record MacAddress(long value) {

    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC address value has bits above 48: 0x" + Long.toHexString(value));
        }
    }

    /** Parses "02:00:00:00:00:01" (':' or '-' separated, two hex digits per byte). */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address (need six hex bytes): \"" + text + "\"");
        }
        long value = 0;
        for (String part : parts) {
            if (part.length() != 2 || !AddressLiteral.isAsciiHex(part.charAt(0)) || !AddressLiteral.isAsciiHex(part.charAt(1))) {
                throw new IllegalArgumentException("not a MAC address (bad byte \"" + part + "\"): \"" + text + "\"");
            }
            value = value << 8 | Integer.parseInt(part, 16);
        }
        return new MacAddress(value);
    }

    public static MacAddress of(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 6; i++) {
            value = value << 8 | (bytes[offset + i] & 0xff);
        }
        return new MacAddress(value);
    }

    public byte[] bytes() {
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) (value >>> (8 * (5 - i)));
        }
        return out;
    }

    @Override
    public String toString() {
        byte[] b = bytes();
        return String.format(Locale.ROOT, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
    }
}
