package io.xdpgate.gateways.spi;

/**
 * A protocol gateway: one instance per gateway in the policy, one {@link GatewaySession} per
 * connection the packet processor redirects to it. Implementations are pure Java over byte
 * buffers; the runtime does the packets (reassembly, holding, releasing, refusing).
 */
public interface ApplicationGateway {
    /** A session for a new connection; called on the runtime's thread, must not block. */
    GatewaySession open(FlowContext flow);
}
