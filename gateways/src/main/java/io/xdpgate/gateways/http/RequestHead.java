package io.xdpgate.gateways.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** A parsed request line and header section. */
public record RequestHead(String method, String target, String version, List<HeaderField> headers)
        implements MessageHead {
    private static final Pattern ABSOLUTE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

    /**
     * The path of the target, without query; for an absolute-form target ({@code http://h/p?q},
     * which servers must accept, RFC 9112 3.2.2) the path of that URI, "/" when it has none.
     */
    public String path() {
        return pathOf(target);
    }

    /** {@link #path()} of {@code target}. */
    static String pathOf(String target) {
        String p = target;
        if (isAbsoluteForm(target)) {
            int from = target.indexOf("://") + 3;
            int end = firstOf(target, "/?#", from);
            p = end < 0 ? "/" : target.charAt(end) == '/' ? target.substring(end) : "/" + target.substring(end);
        }
        int q = p.indexOf('?');
        return q < 0 ? p : p.substring(0, q);
    }

    /** The authority of an absolute-form target: what follows {@code ://} up to the path, query or fragment. */
    static String authority(String target) {
        int from = target.indexOf("://") + 3;
        int end = firstOf(target, "/?#", from);
        return target.substring(from, end < 0 ? target.length() : end);
    }

    /** The Host header's name, lower case, without port or a final dot. */
    public Optional<String> host() {
        return header("Host").map(RequestHead::hostName);
    }

    /**
     * The host an absolute-form target, or CONNECT's host:port target, names (lower case, without
     * user info, port or a final dot); servers route by it rather than by the Host header.
     */
    public Optional<String> targetHost() {
        String authority;
        if (isAbsoluteForm(target)) {
            authority = authority(target);
        } else if (method.equals("CONNECT")) {
            authority = target;
        } else {
            return Optional.empty();
        }
        return Optional.of(hostName(authority.substring(authority.lastIndexOf('@') + 1)));
    }

    /** {@code scheme://...} (RFC 3986 scheme). */
    static boolean isAbsoluteForm(String target) {
        return ABSOLUTE.matcher(target).matches();
    }

    private static String hostName(String authority) {
        String v = authority.strip().toLowerCase(Locale.ROOT);
        int colon = v.lastIndexOf(':');
        String h = colon > 0 && v.indexOf(']') < colon ? v.substring(0, colon) : v;
        return h.length() > 1 && h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static int firstOf(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
