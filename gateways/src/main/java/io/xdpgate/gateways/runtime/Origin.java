package io.xdpgate.gateways.runtime;

import java.net.InetSocketAddress;

/**
 * The pre-NAT view of a connection: the packet processor's id for it, the real client and the
 * server it was headed for.
 */
public record Origin(long connectionId, InetSocketAddress client, InetSocketAddress server) {
}
