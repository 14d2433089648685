package io.xdpgate.gateways.text;

/** Peer input made safe for a log line or a refusal sent back: printable ASCII on one line. */
public final class Printable {
    private Printable() {
    }

    /** {@code s} with anything outside printable ASCII as {@code \xNN}. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }

    /** At most 64 characters of {@code s}, escaped. */
    public static String shortened(String s) {
        return escape(s.length() > 64 ? s.substring(0, 64) + "..." : s);
    }
}
