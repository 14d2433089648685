package io.xdpgate.controlplane.gateway;

import java.time.Instant;

/**
 * One instance of a hosted gateway: its veth pair, its runtime (socket and thread) and what the
 * watchdog knows of it. Each instance is supervised and restarted on its own; the others serve
 * on. Mutable; guarded by the host's lock.
 */
final class HostedInstance {
    final int index;
    GatewayVeth veth;
    /** Null while down, waiting for its restart. */
    HostedRuntime runtime;
    /** Whether {@link #runtime}'s socket is in gw_xsks (the kernel counts the instance up). */
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

    HostedInstance(int index, GatewayVeth veth, HostedRuntime runtime, long now) {
        this.index = index;
        this.veth = veth;
        started(runtime, now);
    }

    void started(HostedRuntime r, long now) {
        runtime = r;
        lastBeat = r.heartbeat();
        lastBeatAt = now;
        runningSince = now;
    }

    boolean serving() {
        return runtime != null && registered;
    }
}
