package io.xdpgate.gateways.spi;

import java.util.Map;

/**
 * A protocol gateway: one instance per gateway in the policy, one session per flow the packet
 * processor redirects to it: a {@link GatewaySession} per TCP connection, a
 * {@link DatagramSession} per UDP flow. Implementations are pure Java over byte buffers; the
 * runtime does the packets (reassembly, holding, releasing, refusing).
 */
public interface ApplicationGateway {
    /** A session for a new TCP connection; called on the runtime's thread, must not block. */
    GatewaySession open(FlowContext flow);

    /**
     * A session for a new UDP flow, for gateways whose factory declares {@link Transport#UDP};
     * called on the runtime's thread, must not block.
     */
    default DatagramSession openDatagrams(FlowContext flow) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes no datagrams");
    }

    /**
     * The protocol's own counters (e.g. FTP's bounce attempts refused), by name in snake case,
     * beside the runtime's; read from any thread.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
