package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.netlink.LinkMessages;

/**
 * A glob over interface names: {@code *} any run of characters (also none), {@code ?} one; every
 * other character stands for itself. Only characters a device name may have (letters, digits,
 * {@code - _ . @}) and the two wildcards are accepted, so a typo such as {@code veth[0-9]} or a
 * regular expression is refused at start instead of silently matching nothing.
 */
public record InterfacePattern(String glob) {
    public InterfacePattern {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException("empty pattern");
        }
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            boolean nameChar = c < 0x7f && (Character.isLetterOrDigit(c) || "-_.@".indexOf(c) >= 0);
            if (!nameChar && c != '*' && c != '?') {
                throw new IllegalArgumentException("pattern \"" + glob + "\": character '" + c + "' at " + i
                        + " is neither part of a device name nor a wildcard (* or ?)");
            }
        }
        if (glob.replace("*", "").length() > LinkMessages.MAX_NAME) {
            throw new IllegalArgumentException("pattern \"" + glob + "\" cannot match: device names have at most "
                    + LinkMessages.MAX_NAME + " characters");
        }
    }

    public boolean matches(String name) {
        return matches(name, 0, 0);
    }

    private boolean matches(String name, int n, int g) {
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                for (int k = name.length(); k >= n; k--) {
                    if (matches(name, k, g + 1)) {
                        return true;
                    }
                }
                return false;
            }
            if (n == name.length() || (c != '?' && c != name.charAt(n))) {
                return false;
            }
            n++;
            g++;
        }
        return n == name.length();
    }

    @Override
    public String toString() {
        return glob;
    }
}
