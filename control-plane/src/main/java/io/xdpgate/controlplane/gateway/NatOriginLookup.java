package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.Conn;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.NatKey;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.tables.XdpgateTables;
import io.xdpgate.gateways.runtime.OriginLookup;
import io.xdpgate.gateways.spi.FlowContext;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The out-of-band path to a connection's original tuple: the packet processor's reverse NAT
 * map (pool ports -> original tuple) and then its connection entry (for the id).
 */
final class NatOriginLookup implements OriginLookup {

    private final XdpgateTables tables;
    private final int gatewayId;
    private final boolean sourceNat;

    NatOriginLookup(XdpgateTables tables, int gatewayId, boolean sourceNat) {
        this.tables = tables;
        this.gatewayId = gatewayId;
        this.sourceNat = sourceNat;
    }

    @Override
    public Optional<FlowContext> find(int proto, IpAddr client, int clientPort, int gatewayPort) {
        NatKey key = new NatKey(gatewayId, gatewayPort, sourceNat ? clientPort : 0, proto);
        Optional<Tuple> orig = tables.natRev().get(key);
        if (orig.isEmpty()) {
            return Optional.empty();
        }
        Tuple t = orig.get();
        long id = tables.conns().get(t).map(Conn::id).orElse(0L);
        return Optional.of(new FlowContext(id, new InetSocketAddress(t.saddr().toInetAddress(), t.sport()),
                new InetSocketAddress(t.daddr().toInetAddress(), t.dport())));
    }
}
