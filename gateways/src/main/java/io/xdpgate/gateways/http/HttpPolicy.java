package io.xdpgate.gateways.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the HTTP gateway lets through, request by request: methods, Host names and path prefixes,
 * each with allow and deny lists (deny wins; an empty allow list allows all). The host judged is
 * the one the target names when it is absolute-form or CONNECT's host:port (which must then
 * match any Host header), else the Host header's.
 *
 * <p>A path is judged in every way a server may read it ({@link #readings}): with dot segments
 * removed ("/public/../admin" is "/admin") and kept (a router that does not normalize sends it
 * to "/public"), with repeated slashes merged (nginx, Tomcat: "//admin" is "/admin") and kept,
 * with {@code ;parameters} cut from each segment (Tomcat, Jetty, Spring: "/admin;x/" is
 * "/admin/", "/..;/" is "/../") and kept, with {@code %2F} as a slash and as a character. A
 * request passes only when every reading does; the refusal names the first reading refused.
 */
public record HttpPolicy(Set<String> allowedMethods, List<String> allowedHosts, List<String> deniedHosts,
                         List<String> allowedPaths, List<String> deniedPaths) {
    public static final HttpPolicy ALLOW_ALL = new HttpPolicy(Set.of(), List.of(), List.of(), List.of(), List.of());

    public HttpPolicy {
        allowedMethods = Set.copyOf(allowedMethods);
        allowedHosts = List.copyOf(allowedHosts);
        deniedHosts = List.copyOf(deniedHosts);
        allowedPaths = allowedPaths.stream().map(HttpPolicy::canonicalEscapes).toList();
        deniedPaths = deniedPaths.stream().map(HttpPolicy::canonicalEscapes).toList();
    }

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
        if (allowedPaths.isEmpty() && deniedPaths.isEmpty()) {
            return Optional.empty();
        }
        for (String path : readings(head.path())) {
            if (deniedPaths.stream().anyMatch(path::startsWith)) {
                return Optional.of("path " + path + " is denied");
            }
            if (!allowedPaths.isEmpty() && allowedPaths.stream().noneMatch(path::startsWith)) {
                return Optional.of("path " + path + " is not allowed");
            }
        }
        return Optional.empty();
    }

    /** "example.org" matches itself; ".example.org" matches it and every subdomain. */
    private static boolean hostMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        return p.startsWith(".") ? host.equals(p.substring(1)) || host.endsWith(p) : host.equals(p);
    }

    /**
     * The ways a server may read {@code path}, the most common first (dots removed, slashes
     * merged, parameters cut, {@code %2F} kept), without duplicates; each after
     * {@link #canonicalEscapes}.
     */
    static Set<String> readings(String path) {
        String p = canonicalEscapes(path);
        Set<String> out = new LinkedHashSet<>();
        for (boolean decodeSlash : new boolean[] {false, true}) {
            String q = decodeSlash ? p.replace("%2F", "/") : p;
            for (boolean removeDots : new boolean[] {true, false}) {
                for (boolean merge : new boolean[] {true, false}) {
                    for (boolean cutParams : new boolean[] {true, false}) {
                        out.add(read(q, cutParams, merge, removeDots));
                    }
                }
            }
        }
        return out;
    }

    /** The first of {@link #readings}: dots removed, slashes merged, parameters cut. */
    static String normalize(String path) {
        return readings(path).iterator().next();
    }

    private static String read(String path, boolean cutParams, boolean merge, boolean removeDots) {
        String[] in = path.split("/", -1);
        List<String> segments = new ArrayList<>();
        for (int i = 1; i < in.length; i++) {
            String seg = in[i];
            if (cutParams && seg.indexOf(';') >= 0) {
                seg = seg.substring(0, seg.indexOf(';'));
            }
            if (merge && seg.isEmpty() && i < in.length - 1) {
                continue;
            }
            segments.add(seg);
        }
        if (!removeDots) {
            return "/" + String.join("/", segments);
        }
        ArrayDeque<String> out = new ArrayDeque<>();
        for (int i = 0; i < segments.size(); i++) {
            String seg = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (seg.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else if (seg.equals("..")) {
                out.pollLast();
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(seg);
            }
        }
        return "/" + String.join("/", out);
    }

    /**
     * One spelling for each path: percent-encoded unreserved characters decoded (RFC 3986
     * 6.2.2.2: letters, digits, "-", ".", "_", "~", which every server decodes too: "/%61dmin" is
     * "/admin"), other escapes in upper case ("%2f" is "%2F"), and bytes above 0x7F (raw UTF-8,
     * when the target may carry it) percent-encoded, as a prefix in the config would spell them.
     */
    static String canonicalEscapes(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && Tokens.isHexDigit(path.charAt(i + 1))
                    && Tokens.isHexDigit(path.charAt(i + 2))) {
                char d = (char) Integer.parseInt(path.substring(i + 1, i + 3), 16);
                if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9') || "-._~".indexOf(d) >= 0) {
                    sb.append(d);
                } else {
                    sb.append('%').append(path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
                }
                i += 2;
            } else if (c >= 0x80) {
                sb.append(String.format("%%%02X", (int) c & 0xff));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
