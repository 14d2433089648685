package io.xdpgate.gateways.http;

/** The RFC 9110 character classes the parsers and the config check, and how they quote what they refuse. */
final class Tokens {
    private static final String SPECIAL = "!#$%&'*+-.^_`|~";

    private Tokens() {
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isTchar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SPECIAL.indexOf(c) >= 0;
    }

    /**
     * Whether {@code s} has a character a field value or reason phrase may not carry: a control
     * other than HTAB, or DEL (obs-text, 0x80 and up, is allowed).
     */
    static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
    }

    /** Whether {@code s} is visible ASCII only, no space: what a request target, and so a path prefix, is made of. */
    static boolean isVisibleAscii(String s) {
        return s.chars().noneMatch(c -> c <= ' ' || c >= 0x7f);
    }

    static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
