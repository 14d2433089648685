package io.xdpgate.controlplane.gateway;

import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.gateways.spi.ApplicationGateway;
import java.time.Instant;

/**
 * A gateway this daemon runs: what the policy said, its veth pair, its runtime and what the
 * watchdog knows of it. Mutable; guarded by the host's lock.
 */
final class HostedGateway {
    GatewayAssignment assignment;
    /** The protocol gateway new connections get; a restarted runtime starts with it. */
    ApplicationGateway app;
    GatewayVeth veth;
    /** Null while down, waiting for its restart. */
    HostedRuntime runtime;
    /** Whether {@link #runtime}'s socket is in gw_xsks (the kernel counts the gateway up). */
    boolean registered;
    /** A stalled runtime told to stop whose thread has not ended yet: its socket still holds the queue. */
    HostedRuntime stuck;
    /** The pair was deleted (to unbind a stuck socket) and is to be made again at the restart. */
    boolean linkGone;

    long lastBeat;
    long lastBeatAt;
    long runningSince;
    long restartAt;
    int failuresInARow;
    RestartCause lastCause;
    Instant lastFailureAt;

    HostedGateway(GatewayAssignment assignment, ApplicationGateway app, GatewayVeth veth, HostedRuntime runtime,
                  long now) {
        this.assignment = assignment;
        this.app = app;
        this.veth = veth;
        started(runtime, now);
    }

    void started(HostedRuntime r, long now) {
        runtime = r;
        lastBeat = r.heartbeat();
        lastBeatAt = now;
        runningSince = now;
    }

    String name() {
        return assignment.name();
    }

    int id() {
        return assignment.id();
    }
}
