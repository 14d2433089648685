package io.xdpgate.controlplane.gateway;

import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.gateways.runtime.XskGateway;

/** A gateway this daemon runs: what the policy said, its veth pair and its runtime. */
record HostedGateway(GatewayAssignment assignment, GatewayVeth veth, XskGateway runtime) {
    void stop() {
        runtime.close();
        veth.delete();
    }
}
