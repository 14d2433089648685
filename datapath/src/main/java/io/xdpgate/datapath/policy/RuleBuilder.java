package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Action;

/** Fluent construction of a {@link Rule}: everything "any", action drop, until said otherwise. */
public final class RuleBuilder {
    private final int id;
    private String name = "";
    private Cidr src;
    private Cidr dst;
    private Protocol protocol = Protocol.ANY;
    private PortRange ports;
    private RoleFilter role = RoleFilter.ANY;
    private Action action = Action.DROP;
    private int gatewayId = Rule.NO_GATEWAY;
    private int pairedPort;

    RuleBuilder(int id) {
        this.id = id;
    }

    public RuleBuilder name(String name) {
        this.name = name;
        return this;
    }

    public RuleBuilder src(String cidr) {
        return src(cidr == null ? null : Cidr.parse(cidr));
    }

    public RuleBuilder src(Cidr cidr) {
        this.src = cidr;
        return this;
    }

    public RuleBuilder dst(String cidr) {
        return dst(cidr == null ? null : Cidr.parse(cidr));
    }

    public RuleBuilder dst(Cidr cidr) {
        this.dst = cidr;
        return this;
    }

    public RuleBuilder protocol(String protocol) {
        return protocol(Protocol.parse(protocol));
    }

    public RuleBuilder protocol(Protocol protocol) {
        this.protocol = protocol;
        return this;
    }

    public RuleBuilder tcp() {
        return protocol(Protocol.TCP);
    }

    public RuleBuilder udp() {
        return protocol(Protocol.UDP);
    }

    /** "80" or "1000-2000"; for icmp/icmpv6, message types. */
    public RuleBuilder ports(String range) {
        return ports(range == null ? null : PortRange.parse(range));
    }

    public RuleBuilder ports(PortRange range) {
        this.ports = range;
        return this;
    }

    public RuleBuilder role(RoleFilter role) {
        this.role = role;
        return this;
    }

    public RuleBuilder pass() {
        return action(Action.PASS, Rule.NO_GATEWAY);
    }

    public RuleBuilder drop() {
        return action(Action.DROP, Rule.NO_GATEWAY);
    }

    public RuleBuilder redirect(int gatewayId) {
        return action(Action.REDIRECT, gatewayId);
    }

    public RuleBuilder action(Action action, int gatewayId) {
        this.action = action;
        this.gatewayId = gatewayId;
        return this;
    }

    /** A flow this rule admits expects one more to its port + offset (0: none); see {@link Rule}. */
    public RuleBuilder pairedPort(int offset) {
        this.pairedPort = offset;
        return this;
    }

    public Rule build() {
        return new Rule(id, name, src, dst, protocol, ports, role, action, gatewayId, pairedPort);
    }
}
