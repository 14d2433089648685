package io.xdpgate.controlplane.policy.check;

import io.xdpgate.abi.Action;
import io.xdpgate.abi.RuleSlot;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.datapath.policy.Cidr;
import io.xdpgate.datapath.policy.PortRange;
import io.xdpgate.datapath.policy.Protocol;
import io.xdpgate.datapath.policy.RoleFilter;
import io.xdpgate.datapath.policy.Rule;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One rule: each field through the datapath's parser, then the combination through
 * {@link Rule}'s constructor, which knows what cannot go together.
 */
final class RuleCheck {
    private final Names names = new Names("rule");
    private final Set<String> declaredGateways;
    private final Map<String, GatewayAssignment> validGateways;
    private final Violations out;

    /**
     * @param declaredGateways every gateway name in the document
     * @param validGateways    the gateways without violations, by name; a rule redirecting to a
     *                         declared but invalid gateway gets no violation of its own for it
     */
    RuleCheck(Set<String> declaredGateways, Map<String, GatewayAssignment> validGateways, Violations out) {
        this.declaredGateways = declaredGateways;
        this.validGateways = validGateways;
        this.out = out;
    }

    /** The rule with id = {@code index}, or null when it has violations. */
    Rule check(int index, RuleSpec r) {
        String at = "/rules/" + index;
        if (r == null) {
            out.add(at, "a rule must be a JSON object, not null");
            return null;
        }
        int before = out.count();
        names.check(at + "/name", r.name(), out);
        Cidr from = r.from() == null ? null : out.parse(at + "/from", r.from(), Cidr::parse);
        Cidr to = r.to() == null ? null : out.parse(at + "/to", r.to(), Cidr::parse);
        Protocol protocol = r.protocol() == null ? Protocol.ANY : out.parse(at + "/protocol", r.protocol(), Protocol::parse);
        PortRange ports = r.ports() == null ? null : out.parse(at + "/ports", r.ports(), PortRange::parse);
        RoleFilter role = r.iface() == null ? RoleFilter.ANY : out.parse(at + "/interface", r.iface(), RoleFilter::parse);
        Action action;
        if (r.action() == null) {
            out.add(at + "/action", "missing: say pass, drop or redirect");
            action = null;
        } else {
            action = out.parse(at + "/action", r.action(), Action::parse);
        }
        int gatewayId = gateway(at, r, action, protocol);
        int pairedPort = pairedPort(at, r, action, protocol);
        if (out.count() > before) {
            return null; // a combination check on top of a bad field would only add noise
        }
        return combine(at, index, r.name(), new Fields(from, to, protocol, ports, role, action, gatewayId, pairedPort));
    }

    /** 0 when absent (or bad: then with a violation). */
    private int pairedPort(String at, RuleSpec r, Action action, Protocol protocol) {
        if (r.pairedPort() == null) {
            return 0;
        }
        int offset = r.pairedPort();
        String path = at + "/pairedPort";
        if (offset == 0 || offset < RuleSlot.PAIR_MIN || offset > RuleSlot.PAIR_MAX) {
            out.add(path, "must be an offset from " + RuleSlot.PAIR_MIN + " to " + RuleSlot.PAIR_MAX
                    + " but 0 (the port next to the flow's is 1 or -1), got " + offset);
            return 0;
        }
        if (protocol != null && !protocol.equals(Protocol.TCP) && !protocol.equals(Protocol.UDP)) {
            out.add(path, "needs protocol tcp or udp (ports to pair), not " + protocol);
            return 0;
        }
        if (action == Action.DROP) {
            out.add(path, "needs action pass or redirect: a dropped flow opens no pair");
            return 0;
        }
        return offset;
    }

    private int gateway(String at, RuleSpec r, Action action, Protocol protocol) {
        if (action != Action.REDIRECT) {
            if (action != null && r.gateway() != null) {
                out.add(at + "/gateway", "only redirect rules name a gateway; this rule's action is "
                        + action.name().toLowerCase(Locale.ROOT));
            }
            return Rule.NO_GATEWAY;
        }
        if (r.gateway() == null) {
            out.add(at + "/gateway", "missing: a redirect rule names the gateway its flows go to");
            return Rule.NO_GATEWAY;
        }
        if (!declaredGateways.contains(r.gateway())) {
            out.add(at + "/gateway", "no gateway is named \"" + r.gateway() + "\"" + (declaredGateways.isEmpty()
                    ? "; the document defines no gateways"
                    : "; the gateways are " + String.join(", ", new TreeSet<>(declaredGateways))));
            return Rule.NO_GATEWAY;
        }
        GatewayAssignment gw = validGateways.get(r.gateway());
        if (gw == null) {
            return Rule.NO_GATEWAY; // its violations are reported under /gateways
        }
        // whether the gateway takes the rule's transport is its factory's to say (GatewayDeployer#check)
        return gw.id();
    }

    private record Fields(Cidr from, Cidr to, Protocol protocol, PortRange ports, RoleFilter role,
                          Action action, int gatewayId, int pairedPort) {
    }

    /**
     * Builds the rule a field at a time, so that when {@link Rule}'s constructor objects, the
     * field just added is the one to blame: the second prefix for mixed families, the protocol
     * for icmp with an IPv6 prefix, the ports when the protocol has none. The last step can only
     * fail for a redirect without tcp or udp (the gateway id is known good by then), so that is
     * the protocol's fault too.
     */
    private Rule combine(String at, int index, String name, Fields f) {
        if (!attempt(at + "/to", index, f.from(), f.to(), Protocol.ANY, null, RoleFilter.ANY, Action.DROP,
                Rule.NO_GATEWAY)
                || !attempt(at + "/protocol", index, f.from(), f.to(), f.protocol(), null, RoleFilter.ANY,
                Action.DROP, Rule.NO_GATEWAY)
                || !attempt(at + "/ports", index, f.from(), f.to(), f.protocol(), f.ports(), RoleFilter.ANY,
                Action.DROP, Rule.NO_GATEWAY)
                || !attempt(at + (f.action() == Action.REDIRECT ? "/protocol" : "/action"), index, f.from(),
                f.to(), f.protocol(), f.ports(), f.role(), f.action(), f.gatewayId())) {
            return null;
        }
        return new Rule(index, name, f.from(), f.to(), f.protocol(), f.ports(), f.role(), f.action(), f.gatewayId(),
                f.pairedPort());
    }

    private boolean attempt(String path, int index, Cidr from, Cidr to, Protocol protocol, PortRange ports,
                            RoleFilter role, Action action, int gatewayId) {
        try {
            // No name: the constructor's messages then start with exactly "rule <index>: ".
            new Rule(index, "", from, to, protocol, ports, role, action, gatewayId);
            return true;
        } catch (IllegalArgumentException e) {
            String prefix = "rule " + index + ": ";
            String message = e.getMessage();
            out.add(path, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
            return false;
        }
    }
}
