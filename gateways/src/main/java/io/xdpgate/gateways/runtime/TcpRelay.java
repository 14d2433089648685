package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_DENIED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_DUPLICATE;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_MIDSTREAM;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NO_FLOW;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_SYN_DATA;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_CLOSED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_DENIED;

import io.xdpgate.abi.Meta;
import io.xdpgate.abi.TcpFlags;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.Verdict;
import java.util.logging.Logger;

/**
 * The TCP relay: what each segment of a connection does. A client SYN opens the connection;
 * SYNs and RSTs pass; on an inspected connection segments with sequence space go through
 * {@link Reassembly} (held until approved), the rest passes at once; an allowed connection
 * is relayed without inspection; a refused one resets the server, sends the client the
 * session's refusal, and answers the client's next word with a reset.
 */
final class TcpRelay {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");
    /** A refusal must fit one frame with room for the headers. */
    private static final int MAX_REFUSAL = 1200;

    private final String name;
    private final FlowTable table;
    private final Reassembly reassembly;
    private final FrameOut out;
    private final RuntimeStats stats;
    private final GatewayRuntime.Limits limits;
    private long now;

    TcpRelay(String name, FlowTable table, Reassembly reassembly, FrameOut out, RuntimeStats stats,
             GatewayRuntime.Limits limits) {
        this.name = name;
        this.table = table;
        this.reassembly = reassembly;
        this.out = out;
        this.stats = stats;
        this.limits = limits;
    }

    /**
     * One segment {@code f} (at {@code handle}, {@code len} bytes) of connection {@code d.key()};
     * {@code flow} is the connection as tracked now, or null. The relay owns the frame from here.
     */
    void receive(TcpFrame f, long handle, int len, Direction d, Flow flow, Meta meta, ApplicationGateway gateway,
                 long nowNs) {
        now = nowNs;
        boolean fromClient = d.fromClient();
        if (fromClient && f.has(TcpFlags.SYN) && !f.has(TcpFlags.ACK)) {
            if (flow != null && flow.client.started && flow.client.isn != f.seq) {
                table.end(flow, FLOWS_CLOSED); // the port pair was reused by a new connection
                flow = null;
            }
            if (flow == null) {
                flow = table.open(d.key(), meta, f, handle, gateway, now);
                if (flow == null) {
                    return;
                }
            }
        }
        if (flow == null) {
            out.drop(handle, DROP_NO_FLOW);
            return;
        }
        flow.lastSeenNs = now;
        if (f.has(TcpFlags.SYN)) {
            if (f.payloadLen > 0) {
                out.drop(handle, DROP_SYN_DATA); // TCP Fast Open data would bypass the hold; the client retries without
                return;
            }
            flow.stream(fromClient).start(f.seq);
            out.forward(handle, len);
            return;
        }
        if (f.has(TcpFlags.RST)) {
            out.forward(handle, len);
            table.end(flow, FLOWS_CLOSED);
            return;
        }
        switch (flow.state) {
            case ALLOWED -> {
                out.forward(handle, len);
                if (f.has(TcpFlags.FIN)) {
                    flow.stream(fromClient).finFed = true;
                    flow.finishing = flow.client.finFed && flow.server.finFed;
                }
            }
            case DENIED -> denied(flow, f, fromClient, handle);
            case INSPECTING -> inspect(flow, f, fromClient, handle, len);
        }
    }

    private void inspect(Flow flow, TcpFrame f, boolean fromClient, long handle, int len) {
        TcpStream s = flow.stream(fromClient);
        boolean fin = f.has(TcpFlags.FIN);
        if (f.payloadLen == 0 && !fin) {
            out.forward(handle, len); // no sequence space: an ACK or window update
            return;
        }
        if (!s.started) {
            out.drop(handle, DROP_MIDSTREAM); // no SYN seen: the stream's start is unknown, nothing can be judged
            return;
        }
        long start = s.offsetOf(f.seq);
        long end = start + f.payloadLen;
        if (end + (fin ? 1 : 0) <= s.released) {
            out.forward(handle, len); // bytes the receiver already had: a retransmission, harmless
            return;
        }
        if (start > s.fed) {
            reassembly.hold(s, f, handle, len, start, end, fin);
            return;
        }
        if (end <= s.fed && !(fin && !s.finFed)) {
            if (!reassembly.matchesHeld(s, f, start, end)) {
                deny(flow, "a retransmission changes bytes already inspected", new byte[0]);
                out.drop(handle, DROP_DENIED);
                return;
            }
            out.drop(handle, DROP_DUPLICATE); // the original is still held
            return;
        }
        if (!reassembly.hold(s, f, handle, len, start, end, fin)) {
            return;
        }
        Verdict.Deny refused = reassembly.feedInOrder(flow, s, fromClient);
        if (refused != null) {
            deny(flow, refused.reason(), refused.refusal());
            return;
        }
        if (flow.state == Flow.State.ALLOWED) {
            reassembly.releaseAll(flow);
        } else {
            reassembly.release(flow, s);
        }
    }

    /** A refused flow: the client may only close; anything else it says is answered with a reset. */
    private void denied(Flow flow, TcpFrame f, boolean fromClient, long handle) {
        out.drop(handle, DROP_DENIED);
        if (fromClient && (f.payloadLen > 0 || f.has(TcpFlags.FIN))) {
            out.craft(flow, false, flow.clientResetSeq, 0, TcpFlags.RST, new byte[0]);
            table.end(flow, FLOWS_CLOSED);
        }
    }

    private void deny(Flow flow, String reason, byte[] refusal) {
        flow.state = Flow.State.DENIED;
        stats.inc(FLOWS_DENIED);
        LOG.info(() -> "gateway=" + name + " conn=" + flow.origin.connectionId() + " client="
                + flow.origin.client() + " server=" + flow.origin.server() + " nat=" + flow.key
                + " verdict=deny reason=\"" + reason + "\"");
        table.discardHeld(flow);
        table.closeSession(flow);
        TcpStream c = flow.client;
        TcpStream sv = flow.server;
        int towardsClient = sv.seqAt(sv.released);
        int clientAck = c.seqAt(c.fed + (c.finFed ? 1 : 0));
        // The server got everything up to c.released: a reset at exactly that sequence number is
        // the one it must accept (RFC 5961).
        out.craft(flow, true, c.seqAt(c.released), sv.seqAt(sv.fed), TcpFlags.RST | TcpFlags.ACK, new byte[0]);
        if (refusal.length > 0 && refusal.length <= MAX_REFUSAL) {
            out.craft(flow, false, towardsClient, clientAck, TcpFlags.PSH | TcpFlags.ACK | TcpFlags.FIN, refusal);
            flow.clientResetSeq = towardsClient + refusal.length + 1;
            flow.denyDeadlineNs = now + limits.denyGraceNs();
        } else {
            out.craft(flow, false, towardsClient, clientAck, TcpFlags.RST | TcpFlags.ACK, new byte[0]);
            table.end(flow, FLOWS_CLOSED);
        }
    }
}
