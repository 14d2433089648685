package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_MALFORMED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_CLOSED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FRAMES_IN;

import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Meta;
import io.xdpgate.gateways.spi.ApplicationGateway;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The gateway runtime: turns the frames the packet processor redirected into ordered bytes for
 * a protocol gateway, and its verdicts back into frames.
 *
 * <p>This class is the intake: it parses each frame, drops what no receiver would take
 * ({@link IpChecks}), reads the metadata in front of it, finds its connection and direction
 * ({@link Direction}, {@link FlowTable}, one per transport) and hands it to its transport's
 * relay: UDP datagrams to {@link DatagramRelay} (judged one by one, nothing held), TCP segments
 * to {@link TcpRelay}, which normalizes ({@link TcpNormalizer}), reassembles and holds within the {@link HoldBudget}
 * ({@link Reassembly}) and sends ({@link FrameOut}); {@link FlowTimers} does the time-driven work.
 *
 * <p>Per connection (keyed by the NAT tuple) each direction is reassembled: in-order bytes go
 * to the {@link io.xdpgate.gateways.spi.GatewaySession} once, out-of-order segments wait for
 * the gap, every copy of a byte must match the first. Every segment carrying bytes
 * or a FIN is <b>held</b> until the session approved all of its bytes, then released in stream
 * order, unchanged (the packet processor restores the original addresses), and its bytes kept
 * until the receiver acknowledges them: any other copy of them denies the connection. Segments
 * without sequence space (pure ACKs) pass at once, resets only at the receiver's exact next
 * sequence number (RFC 5961) or in its window. On a deny nothing held is delivered: the
 * server is reset, the client gets the gateway's refusal (if any) and is reset on its next
 * segment or after a grace period.
 *
 * <p>Not thread-safe: one thread (the socket's) calls {@link #receive} and {@link #tick}.
 */
public final class GatewayRuntime implements AutoCloseable {
    /** The XDP metadata sits right in front of a frame. */
    private static final int META_LEN = Meta.CODEC.size();

    /**
     * What the runtime may take on. The hold budget bounds the UMEM chunks (frames) and memory
     * (bytes) connections keep: frames held until approved, and bytes of theirs plus released
     * bytes kept until the receiver acknowledges them. A connection over its own budget has its
     * new segments dropped (the sender retransmits); past three quarters of a total the
     * connections holding the most are refused first. The total frames must stay well below the
     * UMEM's chunks: the fill ring needs some to receive the segments that let held ones go.
     *
     * @param maxFlows             connections tracked at once; a SYN beyond is dropped and counted
     * @param maxHeldFramesPerFlow frames one connection may hold (both directions)
     * @param maxHeldBytesPerFlow  bytes one connection may hold: held payload plus released-unacked
     * @param maxHeldFramesTotal   frames all connections together may hold
     * @param maxHeldBytesTotal    bytes all connections together may hold
     * @param idleNs               a connection silent this long is forgotten
     * @param closingNs            how long a connection is kept after both FINs went through
     * @param denyGraceNs          how long a refused client may read the refusal before its reset
     */
    public record Limits(int maxFlows, int maxHeldFramesPerFlow, long maxHeldBytesPerFlow, int maxHeldFramesTotal,
                         long maxHeldBytesTotal, long idleNs, long closingNs, long denyGraceNs) {
        /** Frames per connection: as before, 256 per direction. */
        public static final int DEFAULT_FRAMES_PER_FLOW = 512;
        public static final long DEFAULT_BYTES_PER_FLOW = 4L << 20;
        /** Half of the socket's 8192 chunks; a quarter stays free for crafted frames, the rest keeps the fill ring stocked. */
        public static final int DEFAULT_FRAMES_TOTAL = 4096;
        public static final long DEFAULT_BYTES_TOTAL = 128L << 20;
        public static final Limits DEFAULT = new Limits(65_536, 300_000_000_000L, 10_000_000_000L, 2_000_000_000L);

        public Limits {
            if (maxFlows <= 0 || maxHeldFramesPerFlow <= 0 || maxHeldBytesPerFlow <= 0 || maxHeldFramesTotal <= 0
                    || maxHeldBytesTotal <= 0) {
                throw new IllegalArgumentException("limits must be positive: " + maxFlows + ", " + maxHeldFramesPerFlow
                        + ", " + maxHeldBytesPerFlow + ", " + maxHeldFramesTotal + ", " + maxHeldBytesTotal);
            }
        }

        /** The hold budget at its defaults. */
        public Limits(int maxFlows, long idleNs, long closingNs, long denyGraceNs) {
            this(maxFlows, DEFAULT_FRAMES_PER_FLOW, DEFAULT_BYTES_PER_FLOW, DEFAULT_FRAMES_TOTAL, DEFAULT_BYTES_TOTAL,
                    idleNs, closingNs, denyGraceNs);
        }

        /**
         * The earlier shape, frames bounded per direction: a connection may hold twice that; the
         * other budgets at their defaults.
         */
        public Limits(int maxFlows, int maxHeldPerDirection, long idleNs, long closingNs, long denyGraceNs) {
            this(maxFlows, 2 * maxHeldPerDirection, DEFAULT_BYTES_PER_FLOW, DEFAULT_FRAMES_TOTAL, DEFAULT_BYTES_TOTAL,
                    idleNs, closingNs, denyGraceNs);
        }

        /** The same limits with another hold budget. */
        public Limits withHoldBudget(int framesPerFlow, long bytesPerFlow, int framesTotal, long bytesTotal) {
            return new Limits(maxFlows, framesPerFlow, bytesPerFlow, framesTotal, bytesTotal, idleNs, closingNs,
                    denyGraceNs);
        }
    }

    private volatile ApplicationGateway gateway;
    private final FrameIo io;
    private final LongSupplier clock;
    private final IpFrame f = new IpFrame();
    private final RuntimeStats stats = new RuntimeStats();
    private final FrameOut out;
    private final HoldBudget budget;
    private final FlowTable<Flow> table;
    private final TcpRelay tcp;
    private final FlowTimers timers;
    private final FlowTable<DatagramFlow> datagramTable;
    private final DatagramRelay udp;

    public GatewayRuntime(String name, ApplicationGateway gateway, FrameIo io, OriginLookup lookup, Limits limits,
                          LongSupplier clock) {
        this(name, gateway, io, lookup, ExpectationBroker.NONE, limits, clock);
    }

    /** @param expectations grants the sessions' {@link io.xdpgate.gateways.spi.Expectation}s */
    public GatewayRuntime(String name, ApplicationGateway gateway, FrameIo io, OriginLookup lookup,
                          ExpectationBroker expectations, Limits limits, LongSupplier clock) {
        this.gateway = gateway;
        this.io = io;
        this.clock = clock;
        this.out = new FrameOut(io, stats);
        this.budget = new HoldBudget(limits);
        Reassembly reassembly = new Reassembly(name, out, stats, budget);
        this.table = new FlowTable<>(name, IpProto.TCP, limits.maxFlows(), lookup, expectations, stats, out, reassembly::discard);
        this.tcp = new TcpRelay(name, table, reassembly, out, stats, limits);
        this.timers = new FlowTimers(table, out, stats, limits);
        this.datagramTable = new FlowTable<>(name, IpProto.UDP, limits.maxFlows(), lookup, expectations, stats, out, flow -> { });
        this.udp = new DatagramRelay(name, datagramTable, out, stats, limits.idleNs());
    }

    /** New connections go to {@code next} (a changed policy); open ones stay with their session. */
    public void reconfigure(ApplicationGateway next) {
        this.gateway = next;
    }

    public RuntimeStats stats() {
        return stats;
    }

    /** Flows tracked now, TCP connections and UDP flows (read from any thread: a recent value). */
    public int flowCount() {
        return table.count() + datagramTable.count();
    }

    /** Frames held now, all connections (read from any thread: a recent value). */
    public int heldFrames() {
        return budget.frames();
    }

    /** Bytes held now, held payload and released-unacked, all connections (read from any thread). */
    public long heldBytes() {
        return budget.bytes();
    }

    /** The connections tracked now, for the tests in this package to look into. */
    List<Flow> flows() {
        return table.all();
    }

    /** Takes one received frame; the runtime owns it from here (sends or frees it). */
    public void receive(long handle, int len) {
        long now = clock.getAsLong();
        stats.inc(FRAMES_IN);
        ByteBuffer mem = io.memory();
        if (!f.parse(mem, (int) handle, len)) {
            out.drop(handle, DROP_MALFORMED);
            return;
        }
        RuntimeStats.Counter bad = IpChecks.check(f);
        if (bad != null) {
            out.drop(handle, bad);
            return;
        }
        Meta meta = handle >= META_LEN ? Meta.CODEC.read(mem, (int) handle - META_LEN) : null;
        if (meta != null && !meta.isValid()) {
            meta = null;
        }
        if (f.proto == IpProto.UDP) {
            udp.receive(f, handle, len, Direction.of(f, meta, datagramTable), meta, gateway, now);
            return;
        }
        Direction d = Direction.of(f, meta, table);
        tcp.receive(f, handle, len, d, table.get(d.key()), meta, gateway, now);
    }

    /** Time-driven work: resets for refused clients that stayed silent, expiry. Call about every second. */
    public void tick() {
        long now = clock.getAsLong();
        timers.tick(now);
        udp.tick(now);
    }

    /** Ends every connection (their held frames are freed) and the gateway's sessions. */
    @Override
    public void close() {
        for (Flow flow : table.all()) {
            table.end(flow, FLOWS_CLOSED);
        }
        for (DatagramFlow flow : datagramTable.all()) {
            datagramTable.end(flow, FLOWS_CLOSED);
        }
    }
}
