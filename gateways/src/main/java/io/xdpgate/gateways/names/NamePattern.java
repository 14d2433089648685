package io.xdpgate.gateways.names;

import io.xdpgate.gateways.spi.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A query name pattern: {@code example.com} that name only, {@code *.example.com} a name one
 * label below it, {@code **.example.com} a name any number of labels (at least one) below it.
 * Case-insensitive; a trailing dot is the same name without it.
 */
public record NamePattern(String suffix, Kind kind) {
    public enum Kind { EXACT, ONE_LABEL, ANY_DEPTH }

    private static final Pattern LABELS =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

    /** The text as the policy writes it; throws IllegalArgumentException naming what is wrong. */
    public static NamePattern parse(String text) {
        String t = normalize(text);
        Kind kind = Kind.EXACT;
        if (t.startsWith("**.")) {
            kind = Kind.ANY_DEPTH;
            t = t.substring(3);
        } else if (t.startsWith("*.")) {
            kind = Kind.ONE_LABEL;
            t = t.substring(2);
        }
        if (!LABELS.matcher(t).matches() || t.length() > 253) {
            throw new IllegalArgumentException("not a name pattern: a name of letters, digits, '-' and '_' labels"
                    + " (1 to 63 each), optionally after \"*.\" (one label below) or \"**.\" (any depth below)");
        }
        return new NamePattern(t, kind);
    }

    /** The patterns a gateway config lists under {@code key}; bad ones reported to {@code r} by index. */
    public static List<NamePattern> read(ConfigReader r, String key) {
        List<NamePattern> out = new ArrayList<>();
        for (String s : r.strings(key, List.of(), NamePattern::isPattern,
                "a name (example.com), *.name (one label below) or **.name (any depth below)", true)) {
            out.add(parse(s));
        }
        return List.copyOf(out);
    }

    private static boolean isPattern(String s) {
        try {
            parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Lower case, without one trailing dot. */
    public static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** {@code name} lower case, without a trailing dot (as {@link #normalize} makes it). */
    public boolean matches(String name) {
        if (kind == Kind.EXACT) {
            return name.equals(suffix);
        }
        if (name.length() <= suffix.length() + 1 || !name.endsWith(suffix)
                || name.charAt(name.length() - suffix.length() - 1) != '.') {
            return false;
        }
        String below = name.substring(0, name.length() - suffix.length() - 1);
        return kind == Kind.ANY_DEPTH || below.indexOf('.') < 0;
    }

    @Override
    public String toString() {
        return (kind == Kind.ANY_DEPTH ? "**." : kind == Kind.ONE_LABEL ? "*." : "") + suffix;
    }
}
