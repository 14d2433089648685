package io.xdpgate.controlplane.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One rule as written: every field but name and action is optional and means "any" when absent.
 *
 * @param name     [a-z0-9][a-z0-9-]{0,62}, unique among the rules; events report it
 * @param from     source prefix, e.g. "198.18.1.0/24" or "2001:db8:1::/64" (a bare address is a /32 or /128)
 * @param to       destination prefix
 * @param protocol tcp, udp, icmp, icmpv6, any, or an IP protocol number
 * @param ports    destination port or range ("80", "1000-2000"); for icmp/icmpv6 the message type
 * @param iface    ingress interface role: any (default), external or internal (JSON: "interface")
 * @param action   pass, drop or redirect
 * @param gateway  the gateway's name; required for redirect and only there
 * @param pairedPort an offset -16..16 but 0 (RTP/RTCP style): a flow this rule admits lets its
 *                 source open one more flow to the same destination at the flow's port + offset,
 *                 once, within xdpgate.pair-ttl, with the same action; tcp or udp, pass or redirect
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleSpec(String name, String from, String to, String protocol, String ports,
                       @JsonProperty("interface") String iface, String action, String gateway, Integer pairedPort) {

    /** A rule without a paired port. */
    public RuleSpec(String name, String from, String to, String protocol, String ports, String iface, String action,
                    String gateway) {
        this(name, from, to, protocol, ports, iface, action, gateway, null);
    }
}
