package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_DENIED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_FLOW_LIMIT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NO_METADATA;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_OPENED;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.Meta;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connections the runtime tracks, by NAT tuple: opening one (its original tuple from the
 * metadata or the out-of-band lookup, its session from the gateway), the connection limit,
 * and ending one (held frames freed, session closed).
 */
final class FlowTable {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");

    private final String name;
    private final int maxFlows;
    private final OriginLookup lookup;
    private final RuntimeStats stats;
    private final FrameOut out;
    private final Reassembly reassembly;
    private final Map<FlowKey, Flow> flows = new HashMap<>();
    private volatile int count;

    FlowTable(String name, int maxFlows, OriginLookup lookup, RuntimeStats stats, FrameOut out,
              Reassembly reassembly) {
        this.name = name;
        this.maxFlows = maxFlows;
        this.lookup = lookup;
        this.stats = stats;
        this.out = out;
        this.reassembly = reassembly;
    }

    Flow get(FlowKey key) {
        return flows.get(key);
    }

    boolean contains(FlowKey key) {
        return flows.containsKey(key);
    }

    /** Connections tracked now (read from any thread: a recent value). */
    int count() {
        return count;
    }

    /** A snapshot of the connections, to walk while ending some. */
    List<Flow> all() {
        return new ArrayList<>(flows.values());
    }

    /**
     * Opens the connection {@code key} for its first frame {@code f} (at {@code handle}), with a
     * session of {@code gateway}; null when it cannot be opened (the frame was dropped and counted).
     */
    Flow open(FlowKey key, Meta meta, TcpFrame f, long handle, ApplicationGateway gateway, long nowNs) {
        if (flows.size() >= maxFlows) {
            out.drop(handle, DROP_FLOW_LIMIT);
            if (stats.get(DROP_FLOW_LIMIT) % 1000 == 1) {
                LOG.warning(() -> "gateway=" + name + " flow table full (" + maxFlows
                        + " connections): new connections are refused; dropped so far: " + stats.get(DROP_FLOW_LIMIT));
            }
            return null;
        }
        Optional<FlowContext> origin;
        if (meta != null && !meta.hasFlag(Abi.XG_META_F_SNAT)) {
            origin = Optional.of(new FlowContext(meta.connId(), socket(key.client(), key.clientPort()),
                    socket(meta.origAddr(), meta.origPort())));
        } else {
            origin = lookup.find(key.client(), key.clientPort(), key.gatewayPort());
        }
        if (origin.isEmpty()) {
            out.drop(handle, DROP_NO_METADATA);
            return null;
        }
        FlowContext o = origin.get();
        GatewaySession session;
        try {
            session = gateway.open(o);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + " conn=" + o.connectionId() + " cannot open a session", e);
            out.drop(handle, DROP_DENIED);
            return null;
        }
        Flow flow = new Flow(key, o, session, new SegmentCrafter(f), nowNs);
        flows.put(key, flow);
        count = flows.size();
        stats.inc(FLOWS_OPENED);
        return flow;
    }

    private static InetSocketAddress socket(IpAddr addr, int port) {
        return new InetSocketAddress(addr.toInetAddress(), port);
    }

    /** Forgets the connection: frees what it holds, closes its session, counts {@code why}. */
    void end(Flow flow, RuntimeStats.Counter why) {
        if (flows.remove(flow.key) == null) {
            return;
        }
        count = flows.size();
        reassembly.discard(flow);
        closeSession(flow);
        stats.inc(why);
    }

    void closeSession(Flow flow) {
        if (flow.sessionClosed) {
            return;
        }
        flow.sessionClosed = true;
        try {
            flow.session.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + " conn=" + flow.origin.connectionId() + " close failed", e);
        } finally {
            flow.session = null;
        }
    }
}
