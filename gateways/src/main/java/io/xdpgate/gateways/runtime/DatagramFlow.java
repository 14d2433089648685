package io.xdpgate.gateways.runtime;

import io.xdpgate.gateways.spi.DatagramSession;
import io.xdpgate.gateways.spi.FlowContext;

/** One UDP flow through the gateway (a client's address and port with one server's): its session and answer template. */
final class DatagramFlow extends TrackedFlow {
    /** Null once closed. */
    DatagramSession session;
    /** Writes the gateway's answers to the client, from the flow's first datagram. */
    final FrameCrafter crafter;

    DatagramFlow(FlowKey key, FlowContext origin, DatagramSession session, FrameCrafter crafter, long nowNs) {
        super(key, origin, nowNs);
        this.session = session;
        this.crafter = crafter;
    }

    @Override
    void closeSession() {
        DatagramSession s = session;
        session = null;
        if (s != null) {
            s.close();
        }
    }
}
