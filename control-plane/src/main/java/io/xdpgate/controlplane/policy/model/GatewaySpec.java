package io.xdpgate.controlplane.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An application gateway redirected flows go to. Every value is kept as written; the validator
 * judges it and the translation turns it into the kernel's {@code xg_gateway}.
 *
 * @param name         referred to by rules; [a-z0-9][a-z0-9-]{0,62}
 * @param protocol     what the gateway speaks: http, dns, smtp, ftp, tls, tcp or udp
 * @param address4     the gateway's address for IPv4 flows
 * @param address6     the gateway's address for IPv6 flows (at least one of the two)
 * @param ports        its port pool, e.g. "40000-40999": one pool port per redirected connection
 * @param snatAddress4 source NAT: the address IPv4 flows come from as the gateway sees them
 * @param snatAddress6 source NAT: the same for IPv6 flows
 * @param snatPorts    source NAT port pool; given together with the address of each family the
 *                     gateway has, or not at all
 * @param failMode     closed (default): drop its flows while it is down; open: let them bypass it
 * @param instances    how many runtimes serve it (1 to 8, default 1), each on its own veth pair,
 *                     socket and thread; the packet processor gives each new flow to the least
 *                     loaded live one
 * @param config       protocol settings handed to the gateway, any JSON object
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewaySpec(String name, String protocol, String address4, String address6, String ports,
                          String snatAddress4, String snatAddress6, String snatPorts, String failMode,
                          Integer instances, Map<String, Object> config) {
    public GatewaySpec {
        // LinkedHashMap keeps the user's key order and, unlike Map.copyOf, null values.
        config = config == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** A gateway without source NAT, fail mode and config: the common case, for code and tests. */
    public static GatewaySpec of(String name, String protocol, String address4, String address6, String ports) {
        return new GatewaySpec(name, protocol, address4, address6, ports, null, null, null, null, null, null);
    }
}
