package io.xdpgate.gateways.http;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What an HTTP gateway enforces.
 *
 * @param policy           which requests may pass
 * @param limits           bounds on request and response heads, chunk extensions, trailers and pipelining
 * @param syntax           what requests may carry that RFC 9112 allows but backends read differently
 * @param onDeny           how a refused connection ends
 * @param allowUpgrade     whether a 101 Switching Protocols (or a 2xx answer to CONNECT) may turn the
 *                         connection into an uninspected tunnel; when false the connection is refused there
 * @param upgradeProtocols with {@code allowUpgrade}, the protocols a 101 may switch to (lower case,
 *                         {@code name} for any version or {@code name/version}); the request must
 *                         have asked for the protocol too
 */
public record HttpGatewayConfig(HttpPolicy policy, HttpLimits limits, HttpSyntax syntax, DenyMode onDeny,
                                boolean allowUpgrade, List<String> upgradeProtocols) {
    /** How a refused connection ends. Either way both ends are reset; nothing held is delivered. */
    public enum DenyMode {
        /**
         * The client is first answered {@code 403 Forbidden} (policy refusals, refused upgrades) or
         * {@code 400 Bad Request} (requests the parser refuses), naming the reason. Refused responses
         * are reset without an answer.
         */
        RESPOND,
        /** Reset only. */
        RESET
    }

    /** The protocols a 101 may switch to by default (when {@code allowUpgrade}). */
    public static final List<String> DEFAULT_UPGRADE_PROTOCOLS = List.of("websocket");

    /** Every request allowed, default limits and syntax, 403/400 answers, upgrades refused. */
    public static final HttpGatewayConfig DEFAULTS = new HttpGatewayConfig(HttpPolicy.ALLOW_ALL, HttpLimits.DEFAULTS,
            HttpSyntax.DEFAULTS, DenyMode.RESPOND, false, DEFAULT_UPGRADE_PROTOCOLS);

    public HttpGatewayConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(syntax, "syntax");
        Objects.requireNonNull(onDeny, "onDeny");
        upgradeProtocols = upgradeProtocols.stream().map(u -> u.toLowerCase(Locale.ROOT)).toList();
    }

    /** The default syntax, and upgrades (when allowed) to websocket only. */
    public HttpGatewayConfig(HttpPolicy policy, HttpLimits limits, DenyMode onDeny, boolean allowUpgrade) {
        this(policy, limits, HttpSyntax.DEFAULTS, onDeny, allowUpgrade, DEFAULT_UPGRADE_PROTOCOLS);
    }

    /** The keys {@link #fromMap} knows, in the order the README lists them. */
    public static final List<String> KEYS = List.of("allowMethods", "allowHosts", "denyHosts", "allowPaths", "denyPaths",
            "maxRequestLine", "maxHeaderLine", "maxHeaders", "maxHeaderBytes", "maxChunkExtension", "maxTrailers",
            "maxTrailerBytes", "maxPipelined", "allowBodyOn", "allowTransferCodings", "allowUtf8Target",
            "allowEncodedSlash", "onDeny", "allowUpgrade", "upgradeProtocols");

    private static final Pattern HOST = Pattern.compile("\\.?[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*|\\[[0-9A-Fa-f:.]+]");
    /** An Upgrade protocol (RFC 9110 7.8): {@code name} or {@code name/version}, both tokens. */
    private static final Pattern PROTOCOL = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+(/[!#$%&'*+.^_`|~0-9A-Za-z-]+)?");

    /**
     * Reads a policy's gateway {@code config} (JSON as maps, lists, strings, numbers and booleans);
     * null or empty means {@link #DEFAULTS}. Every problem is reported at once, each naming its key
     * ({@code config.maxHeaders: must be a positive integer, got "ten"}), in an
     * {@link IllegalArgumentException}.
     */
    public static HttpGatewayConfig fromMap(Map<String, ?> config) {
        if (config == null || config.isEmpty()) {
            return DEFAULTS;
        }
        List<String> problems = new ArrayList<>();
        Set<String> methods = Set.of();
        List<String> allowHosts = List.of();
        List<String> denyHosts = List.of();
        List<String> allowPaths = List.of();
        List<String> denyPaths = List.of();
        HttpLimits d = HttpLimits.DEFAULTS;
        int[] limits = {d.maxRequestLine(), d.maxHeaderLine(), d.maxHeaders(), d.maxHeaderBytes(), d.maxChunkExtension(),
            d.maxTrailers(), d.maxTrailerBytes(), d.maxPipelined()};
        Set<String> allowBodyOn = Set.of();
        List<String> allowCodings = List.of();
        boolean[] flags = {HttpSyntax.DEFAULTS.allowUtf8Target(), HttpSyntax.DEFAULTS.allowEncodedSlash(),
            DEFAULTS.allowUpgrade()};
        List<String> upgradeProtocols = DEFAULT_UPGRADE_PROTOCOLS;
        DenyMode onDeny = DEFAULTS.onDeny();
        for (Map.Entry<String, ?> e : config.entrySet()) {
            String key = String.valueOf(e.getKey());
            String at = "config." + key;
            Object v = e.getValue();
            switch (key) {
                case "allowMethods" -> methods = new LinkedHashSet<>(strings(at, v, problems, Tokens::isToken,
                        "a method (an RFC 9110 token, e.g. GET)", false));
                case "allowHosts" -> allowHosts = hosts(at, v, problems);
                case "denyHosts" -> denyHosts = hosts(at, v, problems);
                case "allowPaths" -> allowPaths = paths(at, v, problems);
                case "denyPaths" -> denyPaths = paths(at, v, problems);
                case "maxRequestLine" -> limits[0] = positive(at, v, problems, limits[0]);
                case "maxHeaderLine" -> limits[1] = positive(at, v, problems, limits[1]);
                case "maxHeaders" -> limits[2] = positive(at, v, problems, limits[2]);
                case "maxHeaderBytes" -> limits[3] = positive(at, v, problems, limits[3]);
                case "maxChunkExtension" -> limits[4] = nonNegative(at, v, problems, limits[4]);
                case "maxTrailers" -> limits[5] = nonNegative(at, v, problems, limits[5]);
                case "maxTrailerBytes" -> limits[6] = nonNegative(at, v, problems, limits[6]);
                case "maxPipelined" -> limits[7] = positive(at, v, problems, limits[7]);
                case "allowBodyOn" -> allowBodyOn = Set.copyOf(strings(at, v, problems, HttpSyntax.BODYLESS_BY_CHOICE::contains,
                        "one of " + String.join(", ", HttpSyntax.BODYLESS_BY_CHOICE)
                                + " (other methods may carry a body; TRACE and CONNECT never do)", false));
                case "allowTransferCodings" -> allowCodings = strings(at, v, problems, HttpSyntax.TRANSFER_CODINGS::contains,
                        "one of " + String.join(", ", HttpSyntax.TRANSFER_CODINGS) + " (chunked is always allowed last)",
                        false);
                case "allowUtf8Target" -> flags[0] = bool(at, v, problems, flags[0]);
                case "allowEncodedSlash" -> flags[1] = bool(at, v, problems, flags[1]);
                case "onDeny" -> {
                    if ("403".equals(v)) {
                        onDeny = DenyMode.RESPOND;
                    } else if ("reset".equals(v)) {
                        onDeny = DenyMode.RESET;
                    } else {
                        problems.add(at + ": must be \"403\" or \"reset\", got " + describe(v));
                    }
                }
                case "allowUpgrade" -> flags[2] = bool(at, v, problems, flags[2]);
                case "upgradeProtocols" -> upgradeProtocols = strings(at, v, problems, u -> PROTOCOL.matcher(u).matches(),
                        "an upgrade protocol (a token, or token/version, e.g. websocket)", true);
                default -> problems.add(at + ": unknown key; known keys are " + String.join(", ", KEYS));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new HttpGatewayConfig(new HttpPolicy(Set.copyOf(methods), allowHosts, denyHosts, allowPaths, denyPaths),
                new HttpLimits(limits[0], limits[1], limits[2], limits[3], limits[4], limits[5], limits[6], limits[7]),
                new HttpSyntax(allowBodyOn, allowCodings, flags[0], flags[1]), onDeny, flags[2], upgradeProtocols);
    }

    private static boolean bool(String at, Object v, List<String> problems, boolean fallback) {
        if (v instanceof Boolean b) {
            return b;
        }
        problems.add(at + ": must be true or false, got " + describe(v));
        return fallback;
    }

    private static List<String> hosts(String at, Object v, List<String> problems) {
        return strings(at, v, problems, h -> HOST.matcher(h).matches(),
                "a host name, or .domain for the domain and its subdomains", true);
    }

    private static List<String> paths(String at, Object v, List<String> problems) {
        List<String> paths = strings(at, v, problems, HttpGatewayConfig::isPathPrefix,
                "a path starting with \"/\", in printable ASCII, without . or .. segments", false);
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            if (isMatchable(p)) {
                out.add(p);
            } else {
                int i = v instanceof List<?> list ? list.indexOf(p) : -1;
                problems.add(at + "[" + i + "]: must be a path a request can have: without \"//\", \"\\\", \";\", \"?\", "
                        + "\"#\", a malformed escape or an escaped \".\", \"\\\", \";\" or control character, got " + describe(p));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Paths are judged merged, with parameters cut and escapes checked (HttpPolicy, RequestTarget):
     * a prefix with what a judged path never has would never match.
     */
    private static boolean isMatchable(String p) {
        if (p.contains("//") || p.indexOf('\\') >= 0 || p.indexOf(';') >= 0 || p.indexOf('?') >= 0 || p.indexOf('#') >= 0) {
            return false;
        }
        for (int i = p.indexOf('%'); i >= 0; i = p.indexOf('%', i + 1)) {
            if (i + 2 >= p.length() || !Tokens.isHexDigit(p.charAt(i + 1)) || !Tokens.isHexDigit(p.charAt(i + 2))) {
                return false;
            }
            int d = Integer.parseInt(p.substring(i + 1, i + 3), 16);
            if (d == '.' || d == '\\' || d == ';' || d < 0x20 || d == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Paths are compared after dot-segment removal, so a prefix with dot segments would never match. */
    private static boolean isPathPrefix(String p) {
        if (!p.startsWith("/") || !Tokens.isVisibleAscii(p)) {
            return false;
        }
        for (String seg : p.replace("%2e", ".").replace("%2E", ".").split("/", -1)) {
            if (seg.equals(".") || seg.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static List<String> strings(String at, Object v, List<String> problems, Predicate<String> valid, String what,
                                        boolean lowerCase) {
        if (!(v instanceof List<?> list)) {
            problems.add(at + ": must be a list of strings, got " + describe(v));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof String s)) {
                problems.add(at + "[" + i + "]: must be a string, got " + describe(item));
            } else if (!valid.test(s)) {
                problems.add(at + "[" + i + "]: must be " + what + ", got " + describe(s));
            } else {
                out.add(lowerCase ? s.toLowerCase(Locale.ROOT) : s);
            }
        }
        return List.copyOf(out);
    }

    private static int positive(String at, Object v, List<String> problems, int fallback) {
        return integer(at, v, problems, fallback, 1, "a positive integer");
    }

    private static int nonNegative(String at, Object v, List<String> problems, int fallback) {
        return integer(at, v, problems, fallback, 0, "a non-negative integer");
    }

    private static int integer(String at, Object v, List<String> problems, int fallback, int min, String what) {
        if (v instanceof Number n) {
            try {
                BigDecimal d = new BigDecimal(n.toString());
                if (d.compareTo(BigDecimal.valueOf(min)) >= 0 && d.stripTrailingZeros().scale() <= 0
                        && d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
                    return d.intValueExact();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // NaN, infinities: fall through to the problem
            }
        }
        problems.add(at + ": must be " + what + ", got " + describe(v));
        return fallback;
    }

    /** A config value as JSON would show it, cut short. */
    static String describe(Object v) {
        String s;
        if (v == null) {
            s = "null";
        } else if (v instanceof String str) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : str.toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20 || c >= 0x7f) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            s = sb.append('"').toString();
        } else if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(describe(item)));
            s = "[" + String.join(", ", items) + "]";
        } else if (v instanceof Map<?, ?> map) {
            List<String> items = new ArrayList<>();
            map.forEach((k, item) -> items.add(describe(String.valueOf(k)) + ": " + describe(item)));
            s = "{" + String.join(", ", items) + "}";
        } else {
            s = String.valueOf(v);
        }
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
