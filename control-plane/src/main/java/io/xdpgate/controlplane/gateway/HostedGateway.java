package io.xdpgate.controlplane.gateway;

import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.gateways.spi.ApplicationGateway;
import java.util.List;

/**
 * A gateway this daemon runs: what the policy said, and its instances, each on its own veth pair
 * of the pair group {@link #slot}. Mutable; guarded by the host's lock.
 */
final class HostedGateway {
    GatewayAssignment assignment;
    /** The protocol gateway new connections get; a restarted runtime starts with it. */
    ApplicationGateway app;
    /** The pair group: the number in the names of its instances' pairs. */
    final int slot;
    /** By instance number. */
    final List<HostedInstance> instances;

    HostedGateway(GatewayAssignment assignment, ApplicationGateway app, int slot, List<HostedInstance> instances) {
        this.assignment = assignment;
        this.app = app;
        this.slot = slot;
        this.instances = List.copyOf(instances);
    }

    String name() {
        return assignment.name();
    }

    int id() {
        return assignment.id();
    }

    /** How the log names an instance: the gateway's name, with "#k" when it has several. */
    String label(HostedInstance i) {
        return label(assignment, i.index);
    }

    /** The name of instance {@code instance} of {@code g} in log lines and its runtime thread. */
    static String label(GatewayAssignment g, int instance) {
        return g.instances() == 1 ? g.name() : g.name() + "#" + instance;
    }

    /** Its instance {@code index}; null when it has fewer. */
    HostedInstance instance(int index) {
        return index < instances.size() ? instances.get(index) : null;
    }

    /** Its instance 0's pair: every pair of the group has the same MACs, and the kernel's entry names this one. */
    GatewayVeth firstVeth() {
        return instances.get(0).veth;
    }
}
