package io.xdpgate.gateways.spi;

import java.net.InetSocketAddress;

/**
 * What a gateway knows about a connection, in the original (pre-NAT) view: the runtime has
 * already undone the redirect, so {@code server} is where the client meant to go. The runtime
 * builds it once per connection, from the packet processor's metadata or, for frames without
 * it and source-NATed clients, from an out-of-band lookup in its connection maps.
 *
 * @param connectionId the packet processor's connection id (joins the flow event log)
 * @param client       the client's address and port
 * @param server       the original destination
 * @param expectations what the session may ask of the packet processor for this connection
 */
public record FlowContext(long connectionId, InetSocketAddress client, InetSocketAddress server,
                          Expectations expectations) {
    /** A connection whose session may ask for nothing. */
    public FlowContext(long connectionId, InetSocketAddress client, InetSocketAddress server) {
        this(connectionId, client, server, Expectations.NONE);
    }

    public FlowContext withExpectations(Expectations granted) {
        return new FlowContext(connectionId, client, server, granted);
    }
}
