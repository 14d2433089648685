package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_DENIED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_FLOW_LIMIT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NO_METADATA;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_OPENED;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Meta;
import io.xdpgate.gateways.spi.FlowContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The flows of one transport the runtime tracks, by NAT tuple: opening one (its original tuple
 * from the metadata or the out-of-band lookup, its session from the gateway), the flow limit,
 * and ending one (what it holds freed, session closed). One table per transport: a TCP
 * connection and a UDP flow may share a NAT tuple.
 */
final class FlowTable<F extends TrackedFlow> {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");

    private final String name;
    private final int proto;
    private final int maxFlows;
    private final OriginLookup lookup;
    private final ExpectationBroker expectations;
    private final RuntimeStats stats;
    private final FrameOut out;
    private final Consumer<F> discard;
    private final Map<FlowKey, F> flows = new HashMap<>();
    private volatile int count;

    /**
     * @param proto   the transport's IP protocol, for the out-of-band lookup
     * @param discard frees what an ending flow holds besides its session (TCP: held frames)
     */
    FlowTable(String name, int proto, int maxFlows, OriginLookup lookup, ExpectationBroker expectations,
              RuntimeStats stats, FrameOut out, Consumer<F> discard) {
        this.name = name;
        this.proto = proto;
        this.maxFlows = maxFlows;
        this.lookup = lookup;
        this.expectations = expectations;
        this.stats = stats;
        this.out = out;
        this.discard = discard;
    }

    F get(FlowKey key) {
        return flows.get(key);
    }

    boolean contains(FlowKey key) {
        return flows.containsKey(key);
    }

    /** Flows tracked now (read from any thread: a recent value). */
    int count() {
        return count;
    }

    /** A snapshot of the flows, to walk while ending some. */
    List<F> all() {
        return new ArrayList<>(flows.values());
    }

    /**
     * Opens the flow {@code key} for its first frame (at {@code handle}): {@code make} builds it,
     * with its session, for the original tuple found. Null when it cannot be opened (the frame
     * was dropped and counted): the table is full, the origin is unknown, or the gateway could
     * not open a session.
     */
    F open(FlowKey key, Meta meta, long handle, Function<FlowContext, F> make) {
        if (flows.size() >= maxFlows) {
            out.drop(handle, DROP_FLOW_LIMIT);
            if (stats.get(DROP_FLOW_LIMIT) % 1000 == 1) {
                LOG.warning(() -> "gateway=" + name + " " + IpProto.name(proto) + " flow table full (" + maxFlows
                        + " flows): new flows are refused; dropped so far: " + stats.get(DROP_FLOW_LIMIT));
            }
            return null;
        }
        Optional<FlowContext> origin;
        if (meta != null && !meta.hasFlag(Abi.XG_META_F_SNAT)) {
            origin = Optional.of(new FlowContext(meta.connId(), socket(key.client(), key.clientPort()),
                    socket(meta.origAddr(), meta.origPort())));
        } else {
            origin = lookup.find(proto, key.client(), key.clientPort(), key.gatewayPort());
        }
        if (origin.isEmpty()) {
            out.drop(handle, DROP_NO_METADATA);
            return null;
        }
        FlowContext o = origin.get();
        F flow;
        try {
            o = o.withExpectations(expectations.open(o));
            flow = make.apply(o);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + " conn=" + o.connectionId() + " cannot open a session", e);
            expectations.withdraw(o);
            out.drop(handle, DROP_DENIED);
            return null;
        }
        flows.put(key, flow);
        count = flows.size();
        stats.inc(FLOWS_OPENED);
        return flow;
    }

    private static InetSocketAddress socket(IpAddr addr, int port) {
        return new InetSocketAddress(addr.toInetAddress(), port);
    }

    /** Forgets the flow: frees what it holds, closes its session, counts {@code why}. */
    void end(F flow, RuntimeStats.Counter why) {
        if (flows.remove(flow.key) == null) {
            return;
        }
        count = flows.size();
        discard.accept(flow);
        closeSession(flow);
        stats.inc(why);
    }

    /**
     * Closes the flow's session (once) and withdraws what it was granted and did not use; a
     * session that throws is logged, the flow goes on.
     */
    void closeSession(F flow) {
        try {
            flow.closeSession();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + " conn=" + flow.origin.connectionId() + " close failed", e);
        }
        expectations.withdraw(flow.origin);
    }
}
