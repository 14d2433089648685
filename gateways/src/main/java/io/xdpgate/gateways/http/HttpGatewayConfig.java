package io.xdpgate.gateways.http;

import io.xdpgate.gateways.spi.ConfigReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
        ConfigReader r = new ConfigReader(config, KEYS);
        Set<String> methods = new LinkedHashSet<>(r.strings("allowMethods", List.of(), Tokens::isToken,
                "a method (an RFC 9110 token, e.g. GET)", false));
        List<String> allowHosts = hosts(r, "allowHosts");
        List<String> denyHosts = hosts(r, "denyHosts");
        List<String> allowPaths = paths(r, "allowPaths", config.get("allowPaths"));
        List<String> denyPaths = paths(r, "denyPaths", config.get("denyPaths"));
        HttpLimits d = HttpLimits.DEFAULTS;
        HttpLimits limits = new HttpLimits(r.positive("maxRequestLine", d.maxRequestLine()),
                r.positive("maxHeaderLine", d.maxHeaderLine()), r.positive("maxHeaders", d.maxHeaders()),
                r.positive("maxHeaderBytes", d.maxHeaderBytes()), r.nonNegative("maxChunkExtension", d.maxChunkExtension()),
                r.nonNegative("maxTrailers", d.maxTrailers()), r.nonNegative("maxTrailerBytes", d.maxTrailerBytes()),
                r.positive("maxPipelined", d.maxPipelined()));
        Set<String> allowBodyOn = Set.copyOf(r.strings("allowBodyOn", List.of(), HttpSyntax.BODYLESS_BY_CHOICE::contains,
                "one of " + String.join(", ", HttpSyntax.BODYLESS_BY_CHOICE)
                        + " (other methods may carry a body; TRACE and CONNECT never do)", false));
        List<String> allowCodings = r.strings("allowTransferCodings", List.of(), HttpSyntax.TRANSFER_CODINGS::contains,
                "one of " + String.join(", ", HttpSyntax.TRANSFER_CODINGS) + " (chunked is always allowed last)", false);
        HttpSyntax syntax = new HttpSyntax(allowBodyOn, allowCodings,
                r.bool("allowUtf8Target", HttpSyntax.DEFAULTS.allowUtf8Target()),
                r.bool("allowEncodedSlash", HttpSyntax.DEFAULTS.allowEncodedSlash()));
        DenyMode onDeny = r.oneOf("onDeny", DEFAULTS.onDeny(), Map.of("403", DenyMode.RESPOND, "reset", DenyMode.RESET));
        boolean allowUpgrade = r.bool("allowUpgrade", DEFAULTS.allowUpgrade());
        List<String> upgradeProtocols = r.strings("upgradeProtocols", DEFAULT_UPGRADE_PROTOCOLS,
                u -> PROTOCOL.matcher(u).matches(), "an upgrade protocol (a token, or token/version, e.g. websocket)", true);
        r.done();
        return new HttpGatewayConfig(new HttpPolicy(Set.copyOf(methods), allowHosts, denyHosts, allowPaths, denyPaths),
                limits, syntax, onDeny, allowUpgrade, upgradeProtocols);
    }

    private static List<String> hosts(ConfigReader r, String key) {
        return r.strings(key, List.of(), h -> HOST.matcher(h).matches(),
                "a host name, or .domain for the domain and its subdomains", true);
    }

    private static List<String> paths(ConfigReader r, String key, Object v) {
        List<String> paths = r.strings(key, List.of(), HttpGatewayConfig::isPathPrefix,
                "a path starting with \"/\", in printable ASCII, without . or .. segments", false);
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            if (isMatchable(p)) {
                out.add(p);
            } else {
                int i = v instanceof List<?> list ? list.indexOf(p) : -1;
                r.problem(key, i, "must be a path a request can have: without \"//\", \"\\\", \";\", \"?\", "
                        + "\"#\", a malformed escape or an escaped \".\", \"\\\", \";\" or control character, got "
                        + ConfigReader.describe(p));
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
}
