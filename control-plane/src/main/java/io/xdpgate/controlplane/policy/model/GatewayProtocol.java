package io.xdpgate.controlplane.policy.model;

import io.xdpgate.datapath.policy.Protocol;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an application gateway speaks, and so which transports a rule may redirect to it: an
 * HTTP gateway cannot make sense of UDP datagrams.
 */
public enum GatewayProtocol {
    HTTP(Protocol.TCP),
    DNS(Protocol.UDP, Protocol.TCP),
    SMTP(Protocol.TCP),
    FTP(Protocol.TCP),
    TLS(Protocol.TCP),
    /** Any TCP stream (no protocol parser: a relay with per-connection policy). */
    TCP(Protocol.TCP),
    UDP(Protocol.UDP);

    private final Set<Protocol> transports;

    GatewayProtocol(Protocol... transports) {
        this.transports = Set.of(transports);
    }

    public Set<Protocol> transports() {
        return transports;
    }

    /** The name as the document writes it. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Exactly the lower-case names the schema lists. */
    public static GatewayProtocol parse(String text) {
        for (GatewayProtocol p : values()) {
            if (p.jsonName().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown gateway protocol \"" + text + "\": use "
                + Arrays.stream(values()).map(GatewayProtocol::jsonName).collect(Collectors.joining(", ")));
    }
}
