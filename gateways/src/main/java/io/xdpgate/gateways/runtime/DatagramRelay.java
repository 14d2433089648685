package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.BYTES_CLIENT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.BYTES_SERVER;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DATAGRAMS_ANSWERED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DATAGRAMS_REFUSED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NO_FLOW;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_CLOSED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_EXPIRED;

import io.xdpgate.abi.Meta;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.DatagramSession;
import io.xdpgate.gateways.spi.DatagramVerdict;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The UDP relay: each datagram of a flow is given to the flow's session and forwarded, dropped
 * or answered as it says. Nothing is held: a datagram is judged alone, so there is nothing a
 * later one could change. A client datagram opens the flow; a server datagram of no flow is
 * dropped. A flow silent for {@link #idleNs} is forgotten.
 */
final class DatagramRelay {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");
    /** Refusals logged per second at most; a flood of refused datagrams must not flood the log. */
    private static final int LOG_PER_SECOND = 20;
    /** A flow silent this long is forgotten (at most the runtime's idle time): the packet processor's UDP default. */
    static final long MAX_IDLE_NS = 60_000_000_000L;

    private final String name;
    private final FlowTable<DatagramFlow> table;
    private final FrameOut out;
    private final RuntimeStats stats;
    private final long idleNs;
    private long now;
    private long logSecond;
    private int loggedThisSecond;
    private long unlogged;

    DatagramRelay(String name, FlowTable<DatagramFlow> table, FrameOut out, RuntimeStats stats, long idleNs) {
        this.name = name;
        this.table = table;
        this.out = out;
        this.stats = stats;
        this.idleNs = Math.min(idleNs, MAX_IDLE_NS);
    }

    /** One datagram {@code f} (at {@code handle}, {@code len} bytes); the relay owns the frame from here. */
    void receive(IpFrame f, long handle, int len, Direction d, Meta meta, ApplicationGateway gateway, long nowNs) {
        now = nowNs;
        DatagramFlow flow = table.get(d.key());
        if (flow != null && d.fromClient() && meta != null && meta.connId() != flow.origin.connectionId()) {
            table.end(flow, FLOWS_CLOSED); // the packet processor tracks a new flow on the same ports
            flow = null;
        }
        if (flow == null) {
            if (!d.fromClient()) {
                out.drop(handle, DROP_NO_FLOW);
                return;
            }
            flow = table.open(d.key(), meta, handle,
                    o -> new DatagramFlow(d.key(), o, gateway.openDatagrams(o), new FrameCrafter(f), now));
            if (flow == null) {
                return;
            }
        }
        flow.lastSeenNs = now;
        ByteBuffer payload = f.buf.slice(f.payload, f.payloadLen).asReadOnlyBuffer();
        DatagramSession session = flow.session;
        DatagramVerdict v;
        try {
            v = d.fromClient() ? session.onClientDatagram(payload) : session.onServerDatagram(payload);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + " conn=" + flow.origin.connectionId() + " session failed", e);
            v = DatagramVerdict.drop("the gateway failed on this datagram");
        }
        if (v instanceof DatagramVerdict.Forward) {
            stats.add(d.fromClient() ? BYTES_CLIENT : BYTES_SERVER, f.payloadLen);
            out.forward(handle, len);
            return;
        }
        DatagramVerdict.Reply reply = v instanceof DatagramVerdict.Reply r ? r : null;
        refused(flow, d.fromClient(), reply != null ? "answer" : "drop",
                reply != null ? reply.reason() : ((DatagramVerdict.Drop) v).reason());
        out.drop(handle, DATAGRAMS_REFUSED);
        if (reply != null && d.fromClient() && out.answer(flow, reply.payload())) {
            stats.inc(DATAGRAMS_ANSWERED);
        }
    }

    private void refused(DatagramFlow flow, boolean fromClient, String verdict, String reason) {
        long second = now / 1_000_000_000L;
        if (second != logSecond) {
            logSecond = second;
            loggedThisSecond = 0;
        }
        if (loggedThisSecond++ >= LOG_PER_SECOND) {
            unlogged++;
            return;
        }
        long skipped = unlogged;
        unlogged = 0;
        LOG.info(() -> "gateway=" + name + " conn=" + flow.origin.connectionId() + " client=" + flow.origin.client()
                + " server=" + flow.origin.server() + " nat=" + flow.key + " verdict=" + verdict + " dir="
                + (fromClient ? "client" : "server") + " reason=\"" + reason + "\""
                + (skipped > 0 ? " (" + skipped + " earlier refusals not logged)" : ""));
    }

    /** Forgets flows silent for the idle time. */
    void tick(long now) {
        for (DatagramFlow flow : table.all()) {
            if (now - flow.lastSeenNs >= idleNs) {
                stats.inc(FLOWS_EXPIRED);
                table.end(flow, FLOWS_CLOSED);
            }
        }
    }
}
