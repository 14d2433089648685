package io.xdpgate.controlplane.policy;

import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import java.util.List;

/**
 * Runs the gateways a policy names. The policy service asks it to check them before anything
 * is applied (so a bad gateway config rejects the document whole) and then to bring the running
 * gateways in line and describe them to the kernel.
 */
public interface GatewayDeployer {
    /** What is wrong with the gateways' settings, with JSON paths; empty when they can run. */
    List<Violation> check(List<GatewayAssignment> gateways);

    /** Starts, reconfigures and stops gateways and writes their kernel descriptions. */
    void deploy(List<GatewayAssignment> gateways);
}
