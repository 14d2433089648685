package io.xdpgate.gateways.runtime;

import io.xdpgate.abi.IpAddr;

/**
 * A connection as the gateway sees it, after the packet processor's NAT: the client side (its
 * address and port, source-NATed or not) and the gateway pool port. Unique per connection by
 * construction of the port pools.
 */
record FlowKey(IpAddr client, int clientPort, IpAddr gateway, int gatewayPort) {
    @Override
    public String toString() {
        return client + ":" + clientPort + " -> " + gateway + ":" + gatewayPort;
    }
}
