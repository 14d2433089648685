package io.xdpgate.datapath.packet;

import java.util.HexFormat;

/** Hex text with spaces and newlines allowed, for writing frames readably in tests. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
