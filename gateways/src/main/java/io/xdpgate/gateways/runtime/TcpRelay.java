package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DENY_CHANGED_BYTES;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DENY_HELD_BUDGET;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_DENIED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_DUPLICATE;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_MIDSTREAM;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NO_FLOW;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_OUT_OF_WINDOW;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_RST_WINDOW;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_SYN_DATA;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_TCP_OPTIONS;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_UNEXPECTED_SYN;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_CLOSED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_DENIED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.RST_CHALLENGE;

import io.xdpgate.abi.Meta;
import io.xdpgate.abi.TcpFlags;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.Verdict;
import java.util.logging.Logger;

/**
 * The TCP relay: what each segment of a connection does.
 *
 * <ul>
 *   <li>A client SYN opens the connection; afterwards a SYN or SYN-ACK passes only as an exact
 *       retransmission of the one seen (a new connection on the same ports is one the packet
 *       processor gave a new id, or one after both FINs).</li>
 *   <li>A RST ends the connection only at exactly the receiver's next sequence number; in its
 *       window it passes and the connection stays (the endpoint answers with a challenge ACK,
 *       RFC 5961 3.2); elsewhere it is dropped.</li>
 *   <li>On an inspected connection every segment is normalized ({@link TcpNormalizer}); those
 *       with sequence space go through {@link Reassembly} (held until approved), the rest pass
 *       at once.</li>
 *   <li>An allowed connection is relayed without inspection; a refused one resets the server,
 *       sends the client the session's refusal, and answers the client's next word with a
 *       reset.</li>
 * </ul>
 */
final class TcpRelay {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");
    /** A refusal must fit one frame with room for the headers. */
    private static final int MAX_REFUSAL = 1200;

    private final String name;
    private final FlowTable<Flow> table;
    private final Reassembly reassembly;
    private final TcpNormalizer normalizer;
    private final FrameOut out;
    private final RuntimeStats stats;
    private final GatewayRuntime.Limits limits;
    private long now;

    TcpRelay(String name, FlowTable<Flow> table, Reassembly reassembly, FrameOut out, RuntimeStats stats,
             GatewayRuntime.Limits limits) {
        this.name = name;
        this.table = table;
        this.reassembly = reassembly;
        this.normalizer = new TcpNormalizer(stats, reassembly);
        this.out = out;
        this.stats = stats;
        this.limits = limits;
    }

    /**
     * One segment {@code f} (at {@code handle}, {@code len} bytes) of connection {@code d.key()};
     * {@code flow} is the connection as tracked now, or null. The relay owns the frame from here.
     */
    void receive(IpFrame f, long handle, int len, Direction d, Flow flow, Meta meta, ApplicationGateway gateway,
                 long nowNs) {
        now = nowNs;
        boolean fromClient = d.fromClient();
        if (fromClient && f.has(TcpFlags.SYN) && !f.has(TcpFlags.ACK)) {
            if (flow != null && isNewConnection(flow, meta)) {
                table.end(flow, FLOWS_CLOSED); // the port pair was reused by a new connection
                flow = null;
            }
            if (flow == null) {
                open(f, handle, len, d, meta, gateway);
                return;
            }
        }
        if (flow == null) {
            out.drop(handle, DROP_NO_FLOW);
            return;
        }
        flow.lastSeenNs = now;
        if (flow.state == Flow.State.DENIED) {
            denied(flow, f, fromClient, handle);
            return;
        }
        if (f.has(TcpFlags.SYN)) {
            syn(flow, f, fromClient, handle, len);
            return;
        }
        if (flow.state == Flow.State.INSPECTING) {
            normalizer.normalizeUrgent(f);
        }
        if (f.has(TcpFlags.RST)) {
            rst(flow, f, fromClient, handle, len);
            return;
        }
        if (flow.state == Flow.State.ALLOWED) {
            allowed(flow, f, fromClient, handle, len);
            return;
        }
        RuntimeStats.Counter bad = normalizer.acceptable(flow, f, fromClient);
        if (bad != null) {
            out.drop(handle, bad);
            return;
        }
        inspect(flow, f, fromClient, handle, len);
    }

    /**
     * A client SYN on ports a tracked connection holds starts a new connection when the packet
     * processor says so (a new connection id in the metadata) or the old one finished; any
     * other is a SYN inside that connection.
     */
    private static boolean isNewConnection(Flow flow, Meta meta) {
        return flow.finishing || meta != null && meta.connId() != flow.origin.connectionId();
    }

    private void open(IpFrame f, long handle, int len, Direction d, Meta meta, ApplicationGateway gateway) {
        if (f.payloadLen > 0) {
            out.drop(handle, DROP_SYN_DATA); // TCP Fast Open data would bypass the hold; the client retries without
            return;
        }
        if (f.flags != TcpFlags.SYN) {
            out.drop(handle, DROP_UNEXPECTED_SYN); // SYN with FIN, RST, PSH or URG: no receiver agrees what it means
            return;
        }
        if (!f.optionsWellFormed || f.signed) {
            out.drop(handle, DROP_TCP_OPTIONS);
            return;
        }
        Flow flow = table.open(d.key(), meta, handle,
                o -> new Flow(d.key(), o, gateway.open(o), new FrameCrafter(f), now));
        if (flow == null) {
            return;
        }
        flow.client.start(f);
        out.forward(handle, len);
    }

    /**
     * A SYN or SYN-ACK on a tracked connection: the server's first SYN-ACK (it must acknowledge
     * the client's SYN) completes the handshake; afterwards only exact retransmissions pass. A
     * SYN-ACK from the client, a SYN from the server or any other SYN would restart a stream
     * the gateway has judged bytes of.
     */
    private void syn(Flow flow, IpFrame f, boolean fromClient, long handle, int len) {
        if (f.payloadLen > 0) {
            out.drop(handle, DROP_SYN_DATA);
            return;
        }
        TcpStream c = flow.client;
        TcpStream s = flow.stream(fromClient);
        boolean pass;
        if (fromClient) {
            pass = f.flags == TcpFlags.SYN && s.isRetransmittedSyn(f);
        } else {
            boolean synAck = f.flags == (TcpFlags.SYN | TcpFlags.ACK) && c.started && f.ack == c.seqAt(0)
                    && f.optionsWellFormed && !f.signed;
            pass = synAck && (!s.started || s.isRetransmittedSyn(f));
            if (pass && !s.started) {
                normalizer.handshake(flow, f);
            }
        }
        if (!pass) {
            out.drop(handle, DROP_UNEXPECTED_SYN);
            return;
        }
        out.forward(handle, len);
    }

    /**
     * RFC 5961 3.2, judged here whatever the packet processor let through: a RST ends the
     * connection only at exactly the sequence number its receiver expects next (everything
     * released to it); in the receiver's window it passes for a challenge ACK and the
     * connection stays; outside, it is dropped. Before the handshake completes: the server's
     * RST must acknowledge the SYN, the client's sit right after it (RFC 9293 3.10.7.3).
     */
    private void rst(Flow flow, IpFrame f, boolean fromClient, long handle, int len) {
        TcpStream s = flow.stream(fromClient);
        boolean exact;
        boolean inWindow = false;
        if (!s.started) {
            exact = !fromClient && f.has(TcpFlags.ACK) && flow.client.started && f.ack == flow.client.seqAt(0);
        } else if (!s.windowKnown) {
            exact = f.seq == s.seqAt(0);
        } else {
            long at = s.offsetNear(f.seq, s.released);
            exact = at == s.released;
            inWindow = at >= s.acked && at < s.rightEdge;
        }
        if (exact) {
            out.forward(handle, len);
            table.end(flow, FLOWS_CLOSED);
        } else if (inWindow) {
            stats.inc(RST_CHALLENGE);
            out.forward(handle, len);
        } else {
            out.drop(handle, DROP_RST_WINDOW);
        }
    }

    /** An allowed connection: relayed as is; what was sent and acknowledged is still followed, for RSTs. */
    private void allowed(Flow flow, IpFrame f, boolean fromClient, long handle, int len) {
        TcpStream s = flow.stream(fromClient);
        boolean fin = f.has(TcpFlags.FIN);
        if (s.started && s.windowKnown) {
            long stop = s.offsetNear(f.seq, s.released) + f.payloadLen + (fin ? 1 : 0);
            if (stop > s.released && stop <= s.rightEdge + 1) {
                s.released = stop;
            }
        }
        normalizer.learn(flow, f, fromClient);
        out.forward(handle, len);
        if (fin) {
            s.finFed = true;
            flow.finishing = flow.client.finFed && flow.server.finFed;
        }
    }

    private void inspect(Flow flow, IpFrame f, boolean fromClient, long handle, int len) {
        TcpStream s = flow.stream(fromClient);
        boolean fin = f.has(TcpFlags.FIN);
        if (f.payloadLen == 0 && !fin) {
            normalizer.learn(flow, f, fromClient);
            out.forward(handle, len); // no sequence space: an ACK or window update
            return;
        }
        if (!s.started) {
            out.drop(handle, DROP_MIDSTREAM); // no SYN seen: the stream's start is unknown, nothing can be judged
            return;
        }
        if (!s.windowKnown) {
            out.drop(handle, DROP_OUT_OF_WINDOW); // the receiver has not said what it takes
            return;
        }
        long start = s.offsetOf(f.seq);
        long end = start + f.payloadLen;
        RuntimeStats.Counter bad = normalizer.acceptableData(flow, s, f, start, end, fin);
        if (bad != null) {
            out.drop(handle, bad);
            return;
        }
        if (!reassembly.matches(s, f, start, end)) {
            stats.inc(DENY_CHANGED_BYTES);
            deny(flow, "a retransmission changes bytes already inspected", new byte[0]);
            out.drop(handle, DROP_DENIED);
            return;
        }
        if (end + (fin ? 1 : 0) <= s.released) {
            TcpNormalizer.took(s, end, fin);
            normalizer.learn(flow, f, fromClient);
            out.forward(handle, len); // the same bytes again: the receiver may have lost them
            return;
        }
        if (end <= s.fed && !(fin && !s.finFed)) {
            out.drop(handle, DROP_DUPLICATE); // the original is still held
            return;
        }
        Reassembly.Hold held = reassembly.hold(flow, s, f, handle, len, start, end, fin);
        if (held == Reassembly.Hold.STUCK) {
            stats.inc(DENY_HELD_BUDGET);
            deny(flow, "the connection's hold budget is full of bytes awaiting a verdict", new byte[0]);
            return;
        }
        if (held != Reassembly.Hold.HELD) {
            return;
        }
        TcpNormalizer.took(s, end, fin);
        normalizer.learn(flow, f, fromClient);
        if (start > s.fed) {
            return; // waits for the gap
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
    private void denied(Flow flow, IpFrame f, boolean fromClient, long handle) {
        out.drop(handle, DROP_DENIED);
        if (f.has(TcpFlags.RST)) {
            table.end(flow, FLOWS_CLOSED); // the server was reset already; the client gave up
        } else if (fromClient && (f.payloadLen > 0 || f.has(TcpFlags.FIN))) {
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
        reassembly.discard(flow);
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
