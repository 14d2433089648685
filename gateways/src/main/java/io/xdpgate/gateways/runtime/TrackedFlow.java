package io.xdpgate.gateways.runtime;

import io.xdpgate.gateways.spi.FlowContext;

/** What every flow the runtime tracks has, TCP connection or UDP flow: its two views and when it was last heard. */
abstract class TrackedFlow {
    /** The NAT view, as frames carry it. */
    final FlowKey key;
    /** The pre-NAT view, as the session was given it. */
    final FlowContext origin;
    long lastSeenNs;

    TrackedFlow(FlowKey key, FlowContext origin, long nowNs) {
        this.key = key;
        this.origin = origin;
        this.lastSeenNs = nowNs;
    }

    /** Closes the protocol session once; later calls do nothing. */
    abstract void closeSession();
}
