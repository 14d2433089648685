package io.xdpgate.gateways.tls;

import io.xdpgate.gateways.names.NamePattern;
import io.xdpgate.gateways.spi.ConfigReader;
import java.util.List;
import java.util.Map;

/**
 * What a TLS gateway enforces on a connection's ClientHello.
 *
 * @param allowNames      empty: every server name not denied
 * @param denyNames       always refused
 * @param allowMissingSni a ClientHello without a server name may pass (then no name rule applies)
 * @param allowEch        a ClientHello offering Encrypted Client Hello may pass, judged by its
 *                        outer name only (the real one is encrypted)
 * @param maxHello        the largest ClientHello taken, bytes
 * @param alert           refused connections get a fatal TLS alert before the reset
 */
public record TlsGatewayConfig(List<NamePattern> allowNames, List<NamePattern> denyNames, boolean allowMissingSni,
                               boolean allowEch, int maxHello, boolean alert) {
    public static final int DEFAULT_MAX_HELLO = 16384;
    public static final TlsGatewayConfig DEFAULTS = new TlsGatewayConfig(List.of(), List.of(), false, false,
            DEFAULT_MAX_HELLO, true);

    /** The keys {@link #fromMap} knows, in the order the README lists them. */
    public static final List<String> KEYS = List.of("allowNames", "denyNames", "allowMissingSni", "allowEch",
            "maxHello", "onDeny");

    public TlsGatewayConfig {
        allowNames = List.copyOf(allowNames);
        denyNames = List.copyOf(denyNames);
    }

    /** Reads a policy's gateway {@code config}; null or empty means {@link #DEFAULTS}. */
    public static TlsGatewayConfig fromMap(Map<String, ?> config) {
        ConfigReader r = new ConfigReader(config, KEYS);
        List<NamePattern> allow = NamePattern.read(r, "allowNames");
        List<NamePattern> deny = NamePattern.read(r, "denyNames");
        boolean missing = r.bool("allowMissingSni", DEFAULTS.allowMissingSni());
        boolean ech = r.bool("allowEch", DEFAULTS.allowEch());
        int maxHello = r.integer("maxHello", DEFAULT_MAX_HELLO, 512, 65536, "an integer from 512 to 65536");
        boolean alert = r.oneOf("onDeny", DEFAULTS.alert(), Map.of("alert", true, "reset", false));
        r.done();
        return new TlsGatewayConfig(allow, deny, missing, ech, maxHello, alert);
    }

    /** Null when {@code hello} may pass, else why not. */
    String refusal(ClientHello hello) {
        if (hello.ech() && !allowEch) {
            return "Encrypted Client Hello offered (the server name is hidden)";
        }
        String name = hello.serverName();
        if (name == null) {
            return allowMissingSni ? null : "no server name (SNI)";
        }
        for (NamePattern p : denyNames) {
            if (p.matches(name)) {
                return "server name " + name + " matches denied " + p;
            }
        }
        if (!allowNames.isEmpty() && allowNames.stream().noneMatch(p -> p.matches(name))) {
            return "server name " + name + " is not in the allowed names";
        }
        return null;
    }
}
