package io.xdpgate.gateways.http;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the HTTP gateway lets through, request by request: methods, Host names and path prefixes,
 * each with allow and deny lists (deny wins; an empty allow list allows all). Paths are compared
 * after removing dot segments, so "/public/../admin" is judged as "/admin". The host judged is
 * the one the target names when it is absolute-form or CONNECT's host:port (which must then
 * match any Host header), else the Host header's.
 */
public record HttpPolicy(Set<String> allowedMethods, List<String> allowedHosts, List<String> deniedHosts,
                         List<String> allowedPaths, List<String> deniedPaths) {
    public static final HttpPolicy ALLOW_ALL = new HttpPolicy(Set.of(), List.of(), List.of(), List.of(), List.of());

    /** The reason the request is refused, or empty when it may pass. */
    public Optional<String> check(RequestHead head) {
        if (!allowedMethods.isEmpty() && !allowedMethods.contains(head.method())) {
            return Optional.of("method " + head.method() + " is not allowed");
        }
        Optional<String> named = head.targetHost();
        if (named.isPresent() && head.host().isPresent() && !named.get().equals(head.host().get())) {
            return Optional.of("target host " + named.get() + " does not match Host " + head.host().get());
        }
        String host = named.orElse(head.host().orElse(""));
        if (deniedHosts.stream().anyMatch(h -> hostMatches(h, host))) {
            return Optional.of("host " + host + " is denied");
        }
        if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(h -> hostMatches(h, host))) {
            return Optional.of("host " + host + " is not allowed");
        }
        String path = normalize(head.path());
        if (deniedPaths.stream().anyMatch(path::startsWith)) {
            return Optional.of("path " + path + " is denied");
        }
        if (!allowedPaths.isEmpty() && allowedPaths.stream().noneMatch(path::startsWith)) {
            return Optional.of("path " + path + " is not allowed");
        }
        return Optional.empty();
    }

    /** "example.org" matches itself; ".example.org" matches it and every subdomain. */
    private static boolean hostMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        return p.startsWith(".") ? host.equals(p.substring(1)) || host.endsWith(p) : host.equals(p);
    }

    /**
     * RFC 3986 5.2.4 dot-segment removal on the path, after decoding percent-encoded unreserved
     * characters (6.2.2.2: letters, digits, "-", ".", "_", "~"), which every server decodes too:
     * "/%61dmin" is judged as "/admin". Other escapes ("%2F") are left as they are.
     */
    static String normalize(String path) {
        String p = decodeUnreserved(path);
        String[] in = p.split("/", -1);
        ArrayDeque<String> out = new ArrayDeque<>();
        for (int i = 1; i < in.length; i++) {
            String seg = in[i];
            if (seg.equals(".")) {
                if (i == in.length - 1) {
                    out.addLast("");
                }
            } else if (seg.equals("..")) {
                out.pollLast();
                if (i == in.length - 1) {
                    out.addLast("");
                }
            } else {
                out.addLast(seg);
            }
        }
        return "/" + String.join("/", out);
    }

    private static String decodeUnreserved(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && Tokens.isHexDigit(path.charAt(i + 1))
                    && Tokens.isHexDigit(path.charAt(i + 2))) {
                char d = (char) Integer.parseInt(path.substring(i + 1, i + 3), 16);
                if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9') || "-._~".indexOf(d) >= 0) {
                    sb.append(d);
                    i += 2;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
