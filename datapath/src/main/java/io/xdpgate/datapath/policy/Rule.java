package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.RuleSlot;

import java.util.Locale;
import java.util.Objects;

/**
 * One policy rule. A null prefix or port range means "any"; so does
 * {@link Protocol#ANY} and {@link RoleFilter#ANY}. The constructor refuses
 * combinations that cannot mean what they say.
 *
 * @param id        reported in events and connections; 0..2^31-1 (0xffffffff is the default action's id)
 * @param name      for people; may be empty
 * @param ports     needs tcp, udp, icmp or icmpv6; for icmp/icmpv6 a range of message types 0..255
 * @param gatewayId 0..{@value Abi#XG_MAX_GATEWAYS}-1 for {@link Action#REDIRECT}, else {@link #NO_GATEWAY}
 * @param pairedPort 0 (none) or an offset {@value RuleSlot#PAIR_MIN}..{@value RuleSlot#PAIR_MAX}: a flow the
 *                  rule admits lets the same source open one more flow to the same destination at
 *                  its port + this offset, with the same action (RTP/RTCP style; tcp or udp, pass
 *                  or redirect; the kernel's expect_pair)
 */
public record Rule(int id, String name, Cidr src, Cidr dst, Protocol protocol, PortRange ports,
                   RoleFilter role, Action action, int gatewayId, int pairedPort) {

    public static final int NO_GATEWAY = -1;

    public Rule {
        Objects.requireNonNull(protocol, "protocol (use Protocol.ANY)");
        Objects.requireNonNull(role, "role (use RoleFilter.ANY)");
        Objects.requireNonNull(action, "action");
        name = name == null ? "" : name;
        String self = "rule " + id + (name.isEmpty() ? "" : " (" + name + ")");
        if (id < 0) {
            throw new IllegalArgumentException(self + ": id must be 0.." + Integer.MAX_VALUE);
        }
        if (src != null && dst != null && src.family() != dst.family()) {
            throw new IllegalArgumentException(self + ": source " + src + " and destination " + dst
                    + " are of different address families, so no packet can match");
        }
        IpFamily family = src != null ? src.family() : dst != null ? dst.family() : null;
        if (protocol.equals(Protocol.ICMP) && family == IpFamily.IPV6) {
            throw new IllegalArgumentException(self + ": icmp is IPv4's; IPv6 prefixes need icmpv6");
        }
        if (protocol.equals(Protocol.ICMPV6) && family == IpFamily.IPV4) {
            throw new IllegalArgumentException(self + ": icmpv6 is IPv6's; IPv4 prefixes need icmp");
        }
        if (ports != null && !protocol.hasPorts()) {
            throw new IllegalArgumentException(self + ": ports " + ports + " need protocol tcp, udp, icmp or icmpv6, not "
                    + protocol);
        }
        if (ports != null && protocol.isIcmpFamily() && ports.high() > 255) {
            throw new IllegalArgumentException(self + ": for " + protocol + " the ports are message types 0..255, got "
                    + ports);
        }
        if (action == Action.REDIRECT) {
            if (!protocol.equals(Protocol.TCP) && !protocol.equals(Protocol.UDP)) {
                throw new IllegalArgumentException(self + ": redirect needs protocol tcp or udp, not " + protocol);
            }
            if (gatewayId < 0 || gatewayId >= Abi.XG_MAX_GATEWAYS) {
                throw new IllegalArgumentException(self + ": redirect needs a gateway id 0.." + (Abi.XG_MAX_GATEWAYS - 1)
                        + ", got " + gatewayId);
            }
        } else if (gatewayId != NO_GATEWAY) {
            throw new IllegalArgumentException(self + ": only redirect rules name a gateway (got gateway " + gatewayId
                    + " on " + action + ")");
        }
        if (pairedPort != 0) {
            if (pairedPort < RuleSlot.PAIR_MIN || pairedPort > RuleSlot.PAIR_MAX) {
                throw new IllegalArgumentException(self + ": a paired port is an offset " + RuleSlot.PAIR_MIN + ".."
                        + RuleSlot.PAIR_MAX + " from the flow's port, not 0, got " + pairedPort);
            }
            if (!protocol.equals(Protocol.TCP) && !protocol.equals(Protocol.UDP)) {
                throw new IllegalArgumentException(self + ": a paired port needs protocol tcp or udp, not " + protocol);
            }
            if (action == Action.DROP) {
                throw new IllegalArgumentException(self + ": a paired port needs action pass or redirect: a dropped flow"
                        + " opens nothing");
            }
        }
    }

    /** A rule without a paired port. */
    public Rule(int id, String name, Cidr src, Cidr dst, Protocol protocol, PortRange ports,
                RoleFilter role, Action action, int gatewayId) {
        this(id, name, src, dst, protocol, ports, role, action, gatewayId, 0);
    }

    /** Its pol_rules value; the slot's gateway field cannot say "none", so it is 0 unless the rule redirects. */
    RuleSlot slot() {
        return new RuleSlot(id, action, action == Action.REDIRECT ? gatewayId : 0, pairedPort);
    }

    public static RuleBuilder builder(int id) {
        return new RuleBuilder(id);
    }

    @Override
    public String toString() {
        return "rule " + id + (name.isEmpty() ? "" : " \"" + name + "\"")
                + " " + role.name().toLowerCase(Locale.ROOT)
                + " src " + (src == null ? "any" : src) + " dst " + (dst == null ? "any" : dst)
                + " proto " + protocol + (ports == null ? "" : " ports " + ports)
                + " -> " + action.name().toLowerCase(Locale.ROOT)
                + (action == Action.REDIRECT ? " gateway " + gatewayId : "")
                + (pairedPort == 0 ? "" : " paired " + (pairedPort > 0 ? "+" : "") + pairedPort);
    }
}
