package io.xdpgate.gateways.runtime;

import io.xdpgate.abi.IpAddr;
import io.xdpgate.gateways.spi.FlowContext;
import java.util.Optional;

/**
 * Finds a connection's original tuple out of band, in the packet processor's connection maps:
 * for frames without metadata and for source-NATed clients, whose real address the metadata
 * does not carry.
 */
@FunctionalInterface
public interface OriginLookup {
    OriginLookup NONE = (proto, client, clientPort, gatewayPort) -> Optional.empty();

    /**
     * By the NAT tuple: the transport ({@link io.xdpgate.abi.IpProto}), the client side as the
     * gateway sees it and the gateway pool port.
     */
    Optional<FlowContext> find(int proto, IpAddr client, int clientPort, int gatewayPort);
}
