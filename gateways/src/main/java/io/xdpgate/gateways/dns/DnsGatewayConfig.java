package io.xdpgate.gateways.dns;

import io.xdpgate.gateways.names.NamePattern;
import io.xdpgate.gateways.spi.ConfigReader;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a DNS gateway enforces.
 *
 * @param policy         which queries may pass
 * @param onDeny         how a refused query is answered
 * @param maxOutstanding queries of one flow awaiting their response at once; a query beyond
 *                       makes the oldest one's response unacceptable (it is dropped if it comes)
 */
public record DnsGatewayConfig(DnsPolicy policy, DenyMode onDeny, int maxOutstanding) {
    /** How a refused query ends. */
    public enum DenyMode {
        /** Answered with RCODE 5, REFUSED (RFC 1035 4.1.1): the resolver stops at once. */
        REFUSED(5),
        /** Answered with RCODE 3, NXDOMAIN: as if the name did not exist. */
        NXDOMAIN(3),
        /** No answer (over TCP: the connection is reset); the client times out. */
        DROP(-1);

        final int rcode;

        DenyMode(int rcode) {
            this.rcode = rcode;
        }
    }

    public static final int DEFAULT_MAX_OUTSTANDING = 32;
    public static final DnsGatewayConfig DEFAULTS = new DnsGatewayConfig(DnsPolicy.ALLOW_ALL, DenyMode.REFUSED,
            DEFAULT_MAX_OUTSTANDING);

    /** The keys {@link #fromMap} knows, in the order the README lists them. */
    public static final List<String> KEYS = List.of("allowNames", "denyNames", "allowTypes", "onDeny", "maxOutstanding");

    public DnsGatewayConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(onDeny, "onDeny");
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("maxOutstanding must be positive");
        }
    }

    /** Reads a policy's gateway {@code config}; null or empty means {@link #DEFAULTS}. */
    public static DnsGatewayConfig fromMap(Map<String, ?> config) {
        ConfigReader r = new ConfigReader(config, KEYS);
        List<NamePattern> allow = NamePattern.read(r, "allowNames");
        List<NamePattern> deny = NamePattern.read(r, "denyNames");
        Set<Integer> types = new LinkedHashSet<>();
        for (String t : r.strings("allowTypes", List.of(), s -> DnsTypes.parse(s).isPresent(),
                "a query type name (A, AAAA, MX, TXT, ...) or TYPEnnn", false)) {
            types.add(DnsTypes.parse(t).getAsInt());
        }
        DenyMode onDeny = r.oneOf("onDeny", DEFAULTS.onDeny(),
                Map.of("refused", DenyMode.REFUSED, "nxdomain", DenyMode.NXDOMAIN, "drop", DenyMode.DROP));
        int maxOutstanding = r.integer("maxOutstanding", DEFAULT_MAX_OUTSTANDING, 1, 1024,
                "an integer from 1 to 1024");
        r.done();
        return new DnsGatewayConfig(new DnsPolicy(allow, deny, types), onDeny, maxOutstanding);
    }
}
