package io.xdpgate.controlplane.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An application gateway redirected flows go to.
 *
 * @param name      referred to by rules
 * @param protocol  what the gateway speaks: http, dns, smtp, ftp, tls, tcp or udp
 * @param address4  the gateway's address for IPv4 flows
 * @param address6  the gateway's address for IPv6 flows (at least one of the two)
 * @param ports     its port pool, e.g. "40000-40999": one port per redirected connection
 * @param failMode  closed (default): drop its flows while it is down; open: pass them unredirected
 * @param config    protocol settings handed to the gateway
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewaySpec(String name, String protocol, String address4, String address6, String ports,
                          String failMode, Map<String, Object> config) {
}
