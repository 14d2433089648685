package io.xdpgate.gateways.runtime;

import io.xdpgate.abi.TcpFlags;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.BYTES_CLIENT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.BYTES_SERVER;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_DENIED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_DUPLICATE;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_FLOW_LIMIT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_HELD_LIMIT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_MIDSTREAM;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NOT_TCP;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NO_FLOW;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NO_FRAME;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NO_METADATA;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_SYN_DATA;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_TX_FULL;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_ALLOWED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_CLOSED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_DENIED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_EXPIRED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_OPENED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FRAMES_CRAFTED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FRAMES_IN;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FRAMES_OUT;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.Meta;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway runtime: turns the frames the packet processor redirected into ordered bytes for
 * a protocol gateway, and its verdicts back into frames.
 *
 * <p>Per connection (keyed by the NAT tuple) each direction is reassembled: in-order bytes go
 * to the {@link GatewaySession} once, out-of-order segments wait for the gap, retransmissions
 * of bytes still held must match them. Every segment carrying bytes or a FIN is <b>held</b>
 * until the session approved all of its bytes, then released in stream order, unchanged (the
 * packet processor restores the original addresses). Segments without sequence space (pure
 * ACKs) and resets pass at once. On a deny nothing held is delivered: the server is reset, the
 * client gets the gateway's refusal (if any) and is reset on its next segment or after a grace
 * period.
 *
 * <p>Not thread-safe: one thread (the socket's) calls {@link #receive} and {@link #tick}.
 */
public final class GatewayRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");
    /** The XDP metadata sits right in front of a frame. */
    private static final int META_LEN = Meta.CODEC.size();
    /** A refusal must fit one frame with room for the headers. */
    private static final int MAX_REFUSAL = 1200;

    /**
     * @param maxFlows            connections tracked at once; a SYN beyond is dropped and counted
     * @param maxHeldPerDirection frames held per direction; beyond, new frames are dropped (the
     *                            sender retransmits) so one connection cannot take the UMEM
     * @param idleNs              a connection silent this long is forgotten
     * @param closingNs           how long a connection is kept after both FINs went through
     * @param denyGraceNs         how long a refused client may read the refusal before its reset
     */
    public record Limits(int maxFlows, int maxHeldPerDirection, long idleNs, long closingNs, long denyGraceNs) {
        public static final Limits DEFAULT = new Limits(65_536, 256, 300_000_000_000L, 10_000_000_000L,
                2_000_000_000L);
    }

    private final String name;
    private volatile ApplicationGateway gateway;
    private final FrameIo io;
    private final OriginLookup lookup;
    private final Limits limits;
    private final LongSupplier clock;
    private final Map<FlowKey, Flow> flows = new HashMap<>();
    private final TcpFrame f = new TcpFrame();
    private final RuntimeStats stats = new RuntimeStats();
    private long now;
    private volatile int flowCount;

    public GatewayRuntime(String name, ApplicationGateway gateway, FrameIo io, OriginLookup lookup, Limits limits,
                          LongSupplier clock) {
        this.name = name;
        this.gateway = gateway;
        this.io = io;
        this.lookup = lookup;
        this.limits = limits;
        this.clock = clock;
    }

    /** New connections go to {@code next} (a changed policy); open ones stay with their session. */
    public void reconfigure(ApplicationGateway next) {
        this.gateway = next;
    }

    public RuntimeStats stats() {
        return stats;
    }

    /** Connections tracked now (read from any thread: a recent value). */
    public int flowCount() {
        return flowCount;
    }

    /** Takes one received frame; the runtime owns it from here (sends or frees it). */
    public void receive(long handle, int len) {
        now = clock.getAsLong();
        stats.inc(FRAMES_IN);
        ByteBuffer mem = io.memory();
        if (!f.parse(mem, (int) handle, len)) {
            drop(handle, DROP_NOT_TCP);
            return;
        }
        Meta meta = handle >= META_LEN ? Meta.CODEC.read(mem, (int) handle - META_LEN) : null;
        if (meta != null && !meta.isValid()) {
            meta = null;
        }
        IpAddr src = IpAddr.of(f.srcAddr());
        IpAddr dst = IpAddr.of(f.dstAddr());
        boolean fromClient;
        if (meta != null) {
            fromClient = meta.dir() == Abi.XG_DIR_ORIG;
        } else {
            // no metadata: the direction is whichever way round the flow is known, else a SYN opens it
            fromClient = flows.containsKey(new FlowKey(src, f.srcPort, dst, f.dstPort))
                    || !flows.containsKey(new FlowKey(dst, f.dstPort, src, f.srcPort))
                    && f.has(TcpFlags.SYN) && !f.has(TcpFlags.ACK);
        }
        FlowKey key = fromClient ? new FlowKey(src, f.srcPort, dst, f.dstPort) : new FlowKey(dst, f.dstPort, src, f.srcPort);
        Flow flow = flows.get(key);

        if (fromClient && f.has(TcpFlags.SYN) && !f.has(TcpFlags.ACK)) {
            if (flow != null && flow.client.started && flow.client.isn != f.seq) {
                end(flow, FLOWS_CLOSED); // the port pair was reused by a new connection
                flow = null;
            }
            if (flow == null) {
                flow = open(key, meta, handle);
                if (flow == null) {
                    return;
                }
            }
        }
        if (flow == null) {
            drop(handle, DROP_NO_FLOW);
            return;
        }
        flow.lastSeenNs = now;
        if (f.has(TcpFlags.SYN)) {
            if (f.payloadLen > 0) {
                drop(handle, DROP_SYN_DATA); // TCP Fast Open data would bypass the hold; the client retries without
                return;
            }
            flow.stream(fromClient).start(f.seq);
            forward(handle, len);
            return;
        }
        if (f.has(TcpFlags.RST)) {
            forward(handle, len);
            end(flow, FLOWS_CLOSED);
            return;
        }
        switch (flow.state) {
            case ALLOWED -> {
                forward(handle, len);
                if (f.has(TcpFlags.FIN)) {
                    flow.stream(fromClient).finFed = true;
                    flow.finishing = flow.client.finFed && flow.server.finFed;
                }
            }
            case DENIED -> denied(flow, fromClient, handle);
            case INSPECTING -> inspect(flow, fromClient, handle, len);
        }
    }

    private Flow open(FlowKey key, Meta meta, long handle) {
        if (flows.size() >= limits.maxFlows()) {
            drop(handle, DROP_FLOW_LIMIT);
            if (stats.get(DROP_FLOW_LIMIT) % 1000 == 1) {
                LOG.warning(() -> "gateway=" + name + " flow table full (" + limits.maxFlows()
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
            drop(handle, DROP_NO_METADATA);
            return null;
        }
        FlowContext o = origin.get();
        GatewaySession session;
        try {
            session = gateway.open(o);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + " conn=" + o.connectionId() + " cannot open a session", e);
            drop(handle, DROP_DENIED);
            return null;
        }
        Flow flow = new Flow(key, o, session, new SegmentCrafter(f), now);
        flows.put(key, flow);
        flowCount = flows.size();
        stats.inc(FLOWS_OPENED);
        return flow;
    }

    private static InetSocketAddress socket(IpAddr addr, int port) {
        return new InetSocketAddress(addr.toInetAddress(), port);
    }

    private void inspect(Flow flow, boolean fromClient, long handle, int len) {
        TcpStream s = flow.stream(fromClient);
        boolean fin = f.has(TcpFlags.FIN);
        if (f.payloadLen == 0 && !fin) {
            forward(handle, len); // no sequence space: an ACK or window update
            return;
        }
        if (!s.started) {
            drop(handle, DROP_MIDSTREAM); // no SYN seen: the stream's start is unknown, nothing can be judged
            return;
        }
        long start = s.offsetOf(f.seq);
        long end = start + f.payloadLen;
        if (end + (fin ? 1 : 0) <= s.released) {
            forward(handle, len); // bytes the receiver already had: a retransmission, harmless
            return;
        }
        if (start > s.fed) {
            hold(s, handle, len, start, end, fin);
            return;
        }
        if (end <= s.fed && !(fin && !s.finFed)) {
            if (!matchesHeld(s, start, end)) {
                deny(flow, "a retransmission changes bytes already inspected");
                drop(handle, DROP_DENIED);
                return;
            }
            drop(handle, DROP_DUPLICATE); // the original is still held
            return;
        }
        if (!hold(s, handle, len, start, end, fin)) {
            return;
        }
        if (!feedInOrder(flow, s, fromClient)) {
            return;
        }
        if (flow.state == Flow.State.ALLOWED) {
            releaseAll(flow);
        } else {
            release(flow, s);
        }
    }

    private boolean hold(TcpStream s, long handle, int len, long start, long end, boolean fin) {
        if (s.held.size() >= limits.maxHeldPerDirection()) {
            drop(handle, DROP_HELD_LIMIT);
            return false;
        }
        s.hold(new HeldSegment(handle, len, start, end, fin, f.payload - f.base));
        return true;
    }

    /** Hands the session every held byte that is now contiguous; false when it denied. */
    private boolean feedInOrder(Flow flow, TcpStream s, boolean fromClient) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < s.held.size(); i++) {
                HeldSegment seg = s.held.get(i);
                if (seg.start > s.fed) {
                    break; // sorted: a gap remains
                }
                if (seg.end > s.fed) {
                    if (!feed(flow, s, fromClient, seg)) {
                        return false;
                    }
                    progress = true;
                }
                if (seg.fin && seg.end == s.fed && !s.finFed) {
                    s.finFed = true;
                }
            }
        }
        return true;
    }

    private boolean feed(Flow flow, TcpStream s, boolean fromClient, HeldSegment seg) {
        int skip = (int) (s.fed - seg.start);
        int n = (int) (seg.end - s.fed);
        ByteBuffer bytes = io.memory().slice((int) seg.handle + seg.payloadAt + skip, n).asReadOnlyBuffer();
        long offset = s.fed;
        s.fed = seg.end;
        stats.add(fromClient ? BYTES_CLIENT : BYTES_SERVER, n);
        Verdict v;
        try {
            v = fromClient ? flow.session.onClientBytes(offset, bytes) : flow.session.onServerBytes(offset, bytes);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + " conn=" + flow.origin.connectionId() + " failed", e);
            v = Verdict.deny("the gateway failed on this connection: " + e);
        }
        if (v instanceof Verdict.Approve a) {
            s.approved = Math.max(s.approved, a.through());
            return true;
        }
        if (v instanceof Verdict.AllowFlow) {
            flow.state = Flow.State.ALLOWED;
            stats.inc(FLOWS_ALLOWED);
            return true;
        }
        Verdict.Deny d = (Verdict.Deny) v;
        deny(flow, d.reason(), d.refusal());
        return false;
    }

    /** Sends the held segments whose bytes were all handed over and approved, in stream order. */
    private void release(Flow flow, TcpStream s) {
        Iterator<HeldSegment> it = s.held.iterator();
        while (it.hasNext()) {
            HeldSegment seg = it.next();
            if (seg.start > s.fed) {
                break;
            }
            if (seg.end <= s.fed && seg.end <= s.approved && (!seg.fin || s.finFed)) {
                it.remove();
                send(seg);
                s.released = Math.max(s.released, seg.stop());
            }
        }
        noteFinished(flow);
    }

    private void releaseAll(Flow flow) {
        for (TcpStream s : new TcpStream[] {flow.client, flow.server}) {
            for (HeldSegment seg : s.held) {
                send(seg);
                s.released = Math.max(s.released, seg.stop());
            }
            s.held.clear();
        }
    }

    private void noteFinished(Flow flow) {
        if (flow.client.finFed && flow.server.finFed && flow.client.held.isEmpty() && flow.server.held.isEmpty()) {
            flow.finishing = true;
        }
    }

    /** Whether a retransmission of [start, end) carries the same bytes as the held segments it overlaps. */
    private boolean matchesHeld(TcpStream s, long start, long end) {
        ByteBuffer mem = io.memory();
        int newPayload = f.payload;
        for (HeldSegment seg : s.held) {
            long from = Math.max(start, seg.start);
            long to = Math.min(end, seg.end);
            for (long o = from; o < to; o++) {
                byte held = mem.get((int) (seg.handle + seg.payloadAt + (o - seg.start)));
                byte again = mem.get((int) (newPayload + (o - start)));
                if (held != again) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A refused flow: the client may only close; anything else it says is answered with a reset. */
    private void denied(Flow flow, boolean fromClient, long handle) {
        drop(handle, DROP_DENIED);
        if (fromClient && (f.payloadLen > 0 || f.has(TcpFlags.FIN))) {
            craft(flow, false, flow.clientResetSeq, 0, TcpFlags.RST, new byte[0]);
            end(flow, FLOWS_CLOSED);
        }
    }

    private void deny(Flow flow, String reason) {
        deny(flow, reason, new byte[0]);
    }

    private void deny(Flow flow, String reason, byte[] refusal) {
        flow.state = Flow.State.DENIED;
        stats.inc(FLOWS_DENIED);
        LOG.info(() -> "gateway=" + name + " conn=" + flow.origin.connectionId() + " client="
                + flow.origin.client() + " server=" + flow.origin.server() + " nat=" + flow.key
                + " verdict=deny reason=\"" + reason + "\"");
        freeHeld(flow);
        closeSession(flow);
        TcpStream c = flow.client;
        TcpStream sv = flow.server;
        int towardsClient = sv.seqAt(sv.released);
        int clientAck = c.seqAt(c.fed + (c.finFed ? 1 : 0));
        // The server got everything up to c.released: a reset at exactly that sequence number is
        // the one it must accept (RFC 5961).
        craft(flow, true, c.seqAt(c.released), sv.seqAt(sv.fed), TcpFlags.RST | TcpFlags.ACK, new byte[0]);
        if (refusal.length > 0 && refusal.length <= MAX_REFUSAL) {
            craft(flow, false, towardsClient, clientAck, TcpFlags.PSH | TcpFlags.ACK | TcpFlags.FIN, refusal);
            flow.clientResetSeq = towardsClient + refusal.length + 1;
            flow.denyDeadlineNs = now + limits.denyGraceNs();
        } else {
            craft(flow, false, towardsClient, clientAck, TcpFlags.RST | TcpFlags.ACK, new byte[0]);
            end(flow, FLOWS_CLOSED);
        }
    }

    private void craft(Flow flow, boolean towardsServer, int seq, int ack, int flags, byte[] payload) {
        long handle = io.allocate();
        if (handle < 0) {
            stats.inc(DROP_NO_FRAME);
            return;
        }
        int len = flow.crafter.write(io.memory(), (int) handle, towardsServer, seq, ack, flags, payload);
        stats.inc(FRAMES_CRAFTED);
        transmit(handle, len);
    }

    /** Time-driven work: resets for refused clients that stayed silent, expiry. Call about every second. */
    public void tick() {
        now = clock.getAsLong();
        List<Flow> done = new ArrayList<>();
        for (Flow flow : flows.values()) {
            if (flow.state == Flow.State.DENIED && now - flow.denyDeadlineNs >= 0) {
                craft(flow, false, flow.clientResetSeq, 0, TcpFlags.RST, new byte[0]);
                done.add(flow);
            } else if (flow.finishing && now - flow.lastSeenNs >= limits.closingNs()) {
                done.add(flow);
            } else if (now - flow.lastSeenNs >= limits.idleNs()) {
                stats.inc(FLOWS_EXPIRED);
                done.add(flow);
            }
        }
        for (Flow flow : done) {
            end(flow, FLOWS_CLOSED);
        }
    }

    private void end(Flow flow, RuntimeStats.Counter why) {
        if (flows.remove(flow.key) == null) {
            return;
        }
        flowCount = flows.size();
        freeHeld(flow);
        closeSession(flow);
        stats.inc(why);
    }

    private void closeSession(Flow flow) {
        if (flow.sessionClosed) {
            return;
        }
        flow.sessionClosed = true;
        try {
            flow.session.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + " conn=" + flow.origin.connectionId() + " close failed", e);
        }
    }

    private void freeHeld(Flow flow) {
        for (TcpStream s : new TcpStream[] {flow.client, flow.server}) {
            for (HeldSegment seg : s.held) {
                io.free(seg.handle);
            }
            s.held.clear();
        }
    }

    private void forward(long handle, int len) {
        f.swapMacs();
        transmit(handle, len);
    }

    private void send(HeldSegment seg) {
        TcpFrame.swapMacs(io.memory(), (int) seg.handle);
        transmit(seg.handle, seg.len);
    }

    private void transmit(long handle, int len) {
        if (io.send(handle, len)) {
            stats.inc(FRAMES_OUT);
        } else {
            io.free(handle);
            stats.inc(DROP_TX_FULL);
        }
    }

    private void drop(long handle, RuntimeStats.Counter reason) {
        io.free(handle);
        stats.inc(reason);
    }

    /** Ends every connection (their held frames are freed) and the gateway's sessions. */
    @Override
    public void close() {
        for (Flow flow : new ArrayList<>(flows.values())) {
            end(flow, FLOWS_CLOSED);
        }
    }
}
