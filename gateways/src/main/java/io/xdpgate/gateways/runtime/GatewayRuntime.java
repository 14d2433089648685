package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NOT_TCP;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_CLOSED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FRAMES_IN;

import io.xdpgate.abi.Meta;
import io.xdpgate.gateways.spi.ApplicationGateway;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * The gateway runtime: turns the frames the packet processor redirected into ordered bytes for
 * a protocol gateway, and its verdicts back into frames.
 *
 * <p>This class is the intake: it parses each frame, reads the metadata in front of it, finds
 * its connection and direction ({@link Direction}, {@link FlowTable}) and hands it to the
 * protocol's relay ({@link TcpRelay}), which reassembles and holds ({@link Reassembly}) and
 * sends ({@link FrameOut}); {@link FlowTimers} does the time-driven work.
 *
 * <p>Per connection (keyed by the NAT tuple) each direction is reassembled: in-order bytes go
 * to the {@link io.xdpgate.gateways.spi.GatewaySession} once, out-of-order segments wait for
 * the gap, retransmissions of bytes still held must match them. Every segment carrying bytes
 * or a FIN is <b>held</b> until the session approved all of its bytes, then released in stream
 * order, unchanged (the packet processor restores the original addresses). Segments without
 * sequence space (pure ACKs) and resets pass at once. On a deny nothing held is delivered: the
 * server is reset, the client gets the gateway's refusal (if any) and is reset on its next
 * segment or after a grace period.
 *
 * <p>Not thread-safe: one thread (the socket's) calls {@link #receive} and {@link #tick}.
 */
public final class GatewayRuntime implements AutoCloseable {
    /** The XDP metadata sits right in front of a frame. */
    private static final int META_LEN = Meta.CODEC.size();

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

    private volatile ApplicationGateway gateway;
    private final FrameIo io;
    private final LongSupplier clock;
    private final TcpFrame f = new TcpFrame();
    private final RuntimeStats stats = new RuntimeStats();
    private final FrameOut out;
    private final FlowTable table;
    private final TcpRelay tcp;
    private final FlowTimers timers;

    public GatewayRuntime(String name, ApplicationGateway gateway, FrameIo io, OriginLookup lookup, Limits limits,
                          LongSupplier clock) {
        this.gateway = gateway;
        this.io = io;
        this.clock = clock;
        this.out = new FrameOut(io, stats);
        this.table = new FlowTable(name, limits.maxFlows(), lookup, stats, out);
        this.tcp = new TcpRelay(name, table, new Reassembly(name, out, stats, limits.maxHeldPerDirection()), out,
                stats, limits);
        this.timers = new FlowTimers(table, out, stats, limits);
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
        return table.count();
    }

    /** Takes one received frame; the runtime owns it from here (sends or frees it). */
    public void receive(long handle, int len) {
        long now = clock.getAsLong();
        stats.inc(FRAMES_IN);
        ByteBuffer mem = io.memory();
        if (!f.parse(mem, (int) handle, len)) {
            out.drop(handle, DROP_NOT_TCP);
            return;
        }
        Meta meta = handle >= META_LEN ? Meta.CODEC.read(mem, (int) handle - META_LEN) : null;
        if (meta != null && !meta.isValid()) {
            meta = null;
        }
        Direction d = Direction.of(f, meta, table);
        tcp.receive(f, handle, len, d, table.get(d.key()), meta, gateway, now);
    }

    /** Time-driven work: resets for refused clients that stayed silent, expiry. Call about every second. */
    public void tick() {
        timers.tick(clock.getAsLong());
    }

    /** Ends every connection (their held frames are freed) and the gateway's sessions. */
    @Override
    public void close() {
        for (Flow flow : table.all()) {
            table.end(flow, FLOWS_CLOSED);
        }
    }
}
