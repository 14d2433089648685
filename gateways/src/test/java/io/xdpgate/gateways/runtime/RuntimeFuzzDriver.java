package io.xdpgate.gateways.runtime;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.Meta;
import io.xdpgate.abi.TcpFlags;
import io.xdpgate.datapath.packet.ChecksumVerifier;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a runtime with frames a fuzzer chooses, and checks what must hold whatever they are:
 * <ul>
 *   <li>no exception escapes the runtime;</li>
 *   <li>the session gets each byte once, in order (it checks its offsets);</li>
 *   <li>every byte a receiver would read from the relayed frames (in order, out-of-order ones
 *       queued, as a TCP receiver does; bad checksums and a TTL this firewall's forwarding ends
 *       dropped, and a tenth of them lost after this firewall) was approved
 *       by the session for that direction, unless the session let the whole connection through
 *       or the receiver acknowledged bytes it never read;</li>
 *   <li>held frames and bytes never exceed the hold budget, per connection and in total; what
 *       each connection is charged is exactly what it holds; every chunk is either held or
 *       back (nothing leaks), and closing gives everything back.</li>
 * </ul>
 * Most frames are built from the fuzzer's choices around two connections whose handshakes it
 * shapes (sequence numbers near the streams' ends, flags, options, URG, TTL, checksums,
 * metadata), some are raw bytes or bit-flipped copies, and the clock moves between them.
 */
final class RuntimeFuzzDriver {
    static final int CHUNKS = 256;
    static final GatewayRuntime.Limits LIMITS = new GatewayRuntime.Limits(4, 30_000_000_000L, 1_000_000_000L,
            2_000_000_000L).withHoldBudget(24, 6_000, 64, 12_000);
    private static final int STEPS = 300;
    private static final int GWPORT = 50000;
    private static final int[] CPORTS = {40000, 40001};
    private static final String[] TOKENS = {"GET /", "a", "\n", "DELETE /x\n", "UPGRADE\n", "xyz", " HTTP/1.1\r\n",
            "bb"};

    /** FUZZ_TRACE=1: each frame in, the counters it moved, and each frame out (read, lost or crafted). */
    private static final boolean TRACE = System.getenv("FUZZ_TRACE") != null;
    private final FuzzedDataProvider data;
    private final boolean v6;
    private final String client;
    private final String gateway;
    private final String server;
    private final HeapFrames io = new HeapFrames(CHUNKS);
    private final Map<Integer, FuzzSession> sessions = new HashMap<>();
    private final Map<String, Receiver> receivers = new HashMap<>();
    private final GatewayRuntime rt;
    private final Conn[] conns = new Conn[CPORTS.length];
    private long now = 1_000_000_000L;
    private int checked;

    private static final class Conn {
        final int cport;
        long connId;
        long clientIsn;
        long serverIsn;
        long clientNext;
        long serverNext;
        int tsVal = 1000;

        Conn(int cport, long connId) {
            this.cport = cport;
            this.connId = connId;
        }
    }

    RuntimeFuzzDriver(FuzzedDataProvider data) {
        this.data = data;
        this.v6 = data.consumeBoolean();
        client = v6 ? "2001:db8:1::2" : "198.18.1.2";
        gateway = v6 ? "2001:db8:ff::1" : "198.18.255.1";
        server = v6 ? "2001:db8:2::2" : "198.18.2.2";
        ApplicationGateway app = flow -> {
            FuzzSession s = new FuzzSession();
            int port = flow.client().getPort();
            sessions.put(port, s);
            // a new connection: its receivers start with its SYN and SYN-ACK, if they get them
            receivers.remove(port + ">");
            receivers.remove(port + "<");
            return s;
        };
        rt = new GatewayRuntime("fuzz", app, io, OriginLookup.NONE, LIMITS, () -> now);
    }

    void run() {
        for (int i = 0; i < conns.length; i++) {
            conns[i] = new Conn(CPORTS[i], i + 1);
            handshake(conns[i]);
        }
        for (int step = 0; step < STEPS && data.remainingBytes() > 0; step++) {
            int op = data.consumeInt(0, 19);
            if (op < 15) {
                Conn c = conns[data.consumeInt(0, conns.length - 1)];
                in(segment(c), meta(c, lastFromClient));
            } else if (op == 15) {
                now += data.consumeLong(0, 4_000_000_000L);
                rt.tick();
                check();
            } else if (op == 16) {
                byte[] raw = data.consumeBytes(data.consumeInt(0, 120));
                in(raw, data.consumeBoolean() ? meta(conns[0], data.consumeBoolean()) : null);
            } else if (op == 17) {
                Conn c = conns[data.consumeInt(0, conns.length - 1)];
                byte[] frame = segment(c);
                int flips = data.consumeInt(1, 4);
                for (int i = 0; i < flips; i++) {
                    frame[data.consumeInt(0, frame.length - 1)] ^= (byte) data.consumeInt(1, 255);
                }
                in(frame, meta(c, lastFromClient));
            } else if (op == 18) {
                Conn c = conns[data.consumeInt(0, conns.length - 1)];
                c.connId += 10; // the packet processor reopened the ports: a new connection
                c.clientNext = 0;
                c.serverNext = 0;
                handshake(c);
            } else {
                Conn c = conns[data.consumeInt(0, conns.length - 1)];
                in(ack(c, data.consumeBoolean()), meta(c, lastFromClient));
            }
        }
        rt.close();
        check();
        if (io.inUse(CHUNKS) != 0 || rt.heldFrames() != 0 || rt.heldBytes() != 0) {
            throw new AssertionError("closing left " + io.inUse(CHUNKS) + " chunks, " + rt.heldFrames()
                    + " frames and " + rt.heldBytes() + " bytes charged");
        }
    }

    // ---- frames

    private boolean lastFromClient;

    private PacketBuilder frame(Conn c, boolean fromClient) {
        lastFromClient = fromClient;
        PacketBuilder b = new PacketBuilder().srcMac("02:00:00:00:00:b0").dstMac("02:00:00:00:00:b1");
        b = v6 ? b.ipv6(fromClient ? client : gateway, fromClient ? gateway : client)
                : b.ipv4(fromClient ? client : gateway, fromClient ? gateway : client);
        return b.tcp(fromClient ? c.cport : GWPORT, fromClient ? GWPORT : c.cport);
    }

    private void handshake(Conn c) {
        c.clientIsn = data.consumeLong(0, 0xffffffffL);
        c.serverIsn = data.consumeLong(0, 0xffffffffL);
        boolean ts = data.consumeBoolean();
        byte[] copts = options(data.consumeBoolean() ? data.consumeInt(0, 15) : -1, ts, c);
        byte[] sopts = options(data.consumeBoolean() ? data.consumeInt(0, 15) : -1, ts && data.consumeBoolean(), c);
        in(frame(c, true).seq(c.clientIsn).syn().window(window()).tcpOptions(copts).build(), meta(c, true));
        in(frame(c, false).seq(c.serverIsn).ackNumber(u32(c.clientIsn + 1)).syn().ack().window(window())
                .tcpOptions(sopts).build(), meta(c, false));
        in(frame(c, true).seq(u32(c.clientIsn + 1)).ackNumber(u32(c.serverIsn + 1)).ack().tcpOptions(options(-1, ts, c))
                .build(), meta(c, true));
    }

    private int window() {
        return data.consumeBoolean() ? 65535 : data.consumeInt(0, 65535);
    }

    private byte[] options(int wscale, boolean ts, Conn c) {
        ByteBuffer b = ByteBuffer.allocate(16);
        if (wscale >= 0) {
            b.put((byte) 1).put((byte) 3).put((byte) 3).put((byte) wscale);
        }
        if (ts) {
            b.put((byte) 1).put((byte) 1).put((byte) 8).put((byte) 10).putInt(c.tsVal).putInt(0);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** What the sender's own receiver read: an honest acknowledgement. */
    private long honestAck(Conn c, boolean fromClient) {
        Receiver r = receivers.get(c.cport + (fromClient ? "<" : ">"));
        if (r != null) {
            return r.acknowledgeable();
        }
        return fromClient ? c.serverIsn + 1 + c.serverNext : c.clientIsn + 1 + c.clientNext;
    }

    private byte[] ack(Conn c, boolean fromClient) {
        long seq = fromClient ? c.clientIsn + 1 + c.clientNext : c.serverIsn + 1 + c.serverNext;
        long ack = honestAck(c, fromClient) - data.consumeInt(0, 8);
        return frame(c, fromClient).seq(u32(seq)).ackNumber(u32(ack)).ack().window(window())
                .tcpOptions(options(-1, data.consumeBoolean(), c)).build();
    }

    private byte[] segment(Conn c) {
        boolean fromClient = data.consumeBoolean();
        int flags = switch (data.consumeInt(0, 15)) {
            case 8 -> TcpFlags.FIN | TcpFlags.ACK;
            case 9 -> TcpFlags.RST;
            case 10 -> TcpFlags.RST | TcpFlags.ACK;
            case 11 -> TcpFlags.SYN;
            case 12 -> TcpFlags.SYN | TcpFlags.ACK;
            case 13 -> TcpFlags.ACK;
            case 14 -> TcpFlags.URG | TcpFlags.ACK | TcpFlags.PSH;
            case 15 -> data.consumeInt(0, 255);
            default -> TcpFlags.ACK | TcpFlags.PSH;
        };
        StringBuilder text = new StringBuilder();
        int tokens = (flags & TcpFlags.ACK) != 0 && (flags & TcpFlags.SYN) == 0 ? data.consumeInt(0, 6) : 0;
        for (int i = 0; i < tokens; i++) {
            text.append(TOKENS[data.consumeInt(0, TOKENS.length - 1)]);
        }
        byte[] payload = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        long next = fromClient ? c.clientNext : c.serverNext;
        long off = switch (data.consumeInt(0, 5)) {
            case 0, 1, 2 -> next;
            case 3 -> next - data.consumeInt(0, 20);
            case 4 -> next + data.consumeInt(1, 40);
            default -> data.consumeInt(-100, 100_000);
        };
        long isn = fromClient ? c.clientIsn : c.serverIsn;
        long peerIsn = fromClient ? c.serverIsn : c.clientIsn;
        long peerNext = fromClient ? c.serverNext : c.clientNext;
        long seq = (flags & TcpFlags.SYN) != 0 && data.consumeBoolean() ? isn : isn + 1 + off;
        long ack = switch (data.consumeInt(0, 4)) {
            case 0, 1 -> honestAck(c, fromClient);
            case 2 -> honestAck(c, fromClient) - data.consumeInt(0, 30);
            case 3 -> peerIsn + 1 + peerNext;
            default -> data.consumeLong(0, 0xffffffffL);
        };
        if (data.consumeBoolean()) {
            c.tsVal += data.consumeInt(-3, 50);
        }
        byte[] opts = switch (data.consumeInt(0, 7)) {
            case 0, 1, 2 -> options(-1, true, c);
            case 3 -> options(data.consumeInt(0, 15), false, c);
            case 4 -> data.consumeBytes(data.consumeInt(0, 12));
            case 5 -> new byte[] {19, 18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
            default -> new byte[0];
        };
        PacketBuilder b = frame(c, fromClient).seq(u32(seq)).ackNumber(u32(ack)).tcpFlags(flags).window(window())
                .tcpOptions(opts).payload(payload);
        if (data.consumeInt(0, 7) == 0) {
            b.urgentPointer(data.consumeInt(0, 10));
        }
        if (data.consumeInt(0, 9) == 0) {
            b.ttl(data.consumeInt(0, 3));
        }
        if (data.consumeInt(0, 15) == 0) {
            b.breakL4Checksum();
        }
        if (!v6 && data.consumeInt(0, 31) == 0) {
            b.ipv4Options(new byte[] {1, 1, 1, 0});
        }
        if (off >= 0 && off < 1 << 20) {
            long end = off + payload.length + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
            if (fromClient) {
                c.clientNext = Math.max(c.clientNext, end);
            } else {
                c.serverNext = Math.max(c.serverNext, end);
            }
        }
        return b.build();
    }

    private byte[] meta(Conn c, boolean fromClient) {
        if (data.consumeInt(0, 31) == 0) {
            return null;
        }
        return Meta.CODEC.toBytes(Meta.of(c.connId, IpAddr.of(addr(server)), 80,
                fromClient ? Abi.XG_DIR_ORIG : Abi.XG_DIR_REPLY, 0));
    }

    private static InetAddress addr(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static long u32(long v) {
        return v & 0xffffffffL;
    }

    private void in(byte[] frame, byte[] meta) {
        if (io.inUse(CHUNKS) >= CHUNKS) {
            return; // no chunk to receive into: the kernel would not deliver it
        }
        noteClaims(frame);
        if (TRACE) {
            Map<RuntimeStats.Counter, Long> before = rt.stats().snapshot();
            rt.receive(io.receive(frame, meta), frame.length);
            StringBuilder moved = new StringBuilder();
            rt.stats().snapshot().forEach((k, v) -> moved.append(v.equals(before.get(k)) ? "" : k + " "));
            System.err.println("in " + describe(frame) + " meta=" + (meta != null) + " -> " + moved);
        } else {
            rt.receive(io.receive(frame, meta), frame.length);
        }
        check();
    }

    /**
     * An acknowledgement is its sender's word that it read the bytes before it: one of bytes
     * its receiver never read (the fuzzer lying, or a lost frame it did not see) forfeits the
     * check of that receiver, whose bytes the runtime may then forget. Read as the runtime reads.
     */
    private void noteClaims(byte[] frame) {
        IpFrame f = new IpFrame();
        if (!f.parse(ByteBuffer.wrap(frame), 0, frame.length) || !f.has(TcpFlags.ACK)) {
            return;
        }
        boolean fromClient = f.dstPort == GWPORT;
        int cport = fromClient ? f.srcPort : f.dstPort;
        Receiver r = receivers.get(cport + (fromClient ? "<" : ">"));
        if (r != null && (int) (f.ack - (int) r.acknowledgeable()) > 0) {
            r.liar = true;
        }
    }

    private static String describe(byte[] frame) {
        try {
            return PacketView.parse(frame).toString();
        } catch (RuntimeException e) {
            return frame.length + " bytes, not parsed";
        }
    }

    // ---- the invariants

    private void check() {
        if (rt.heldFrames() > LIMITS.maxHeldFramesTotal() || rt.heldBytes() > LIMITS.maxHeldBytesTotal()) {
            throw new AssertionError("over the budget: " + rt.heldFrames() + " frames, " + rt.heldBytes() + " bytes");
        }
        if (rt.heldFrames() < 0 || rt.heldBytes() < 0) {
            throw new AssertionError("negative budget: " + rt.heldFrames() + " frames, " + rt.heldBytes() + " bytes");
        }
        if (io.inUse(CHUNKS) != rt.heldFrames()) {
            throw new AssertionError(io.inUse(CHUNKS) + " chunks in use but " + rt.heldFrames() + " held");
        }
        int frames = 0;
        long bytes = 0;
        for (Flow flow : rt.flows()) {
            int held = 0;
            long kept = 0;
            for (TcpStream s : flow.streams()) {
                held += s.held.size();
                kept += s.unacked.size();
                for (HeldSegment seg : s.held) {
                    kept += seg.end - seg.start;
                }
            }
            if (flow.heldFrames != held || flow.heldBytes != kept || held > LIMITS.maxHeldFramesPerFlow()
                    || kept > LIMITS.maxHeldBytesPerFlow()) {
                throw new AssertionError("connection " + flow.key + " holds " + held + " frames and " + kept
                        + " bytes, charged " + flow.heldFrames + " and " + flow.heldBytes);
            }
            frames += held;
            bytes += kept;
        }
        if (frames != rt.heldFrames() || bytes != rt.heldBytes()) {
            throw new AssertionError("connections hold " + frames + " frames and " + bytes + " bytes, the total says "
                    + rt.heldFrames() + " and " + rt.heldBytes());
        }
        for (; checked < io.sent.size(); checked++) {
            if (!io.crafted.get(checked) && (data.remainingBytes() == 0 || data.consumeInt(0, 9) != 0)) {
                if (TRACE) {
                    System.err.println("  read " + describe(io.sent.get(checked)));
                }
                read(io.sent.get(checked)); // else lost after this firewall
            } else if (TRACE) {
                System.err.println("  " + (io.crafted.get(checked) ? "crafted " : "lost ") + describe(io.sent.get(checked)));
            }
        }
    }

    /** A relayed frame reaches its receiver, which reads the bytes it makes contiguous. */
    private void read(byte[] frame) {
        PacketView v = PacketView.parse(frame);
        if (v.hasTcpFlags(TcpFlags.RST)) {
            return; // a receiver delivers no data of a RST
        }
        if (v.ttl() < 2 || !ChecksumVerifier.verify(frame).allCorrect()) {
            return; // this firewall's forwarding, or the receiver, drops it
        }
        boolean towardsServer = v.dstPort() == GWPORT;
        int cport = towardsServer ? v.srcPort() : v.dstPort();
        String key = cport + (towardsServer ? ">" : "<");
        if (v.hasTcpFlags(TcpFlags.SYN)) {
            Receiver r = receivers.get(key);
            if (r == null || r.isn != v.seq() || r.session != sessions.get(cport)) {
                receivers.put(key, new Receiver(v.seq(), sessions.get(cport), towardsServer));
            }
            return;
        }
        Receiver r = receivers.get(key);
        if (r == null || v.payload().length == 0 && !v.hasTcpFlags(TcpFlags.FIN)) {
            return;
        }
        r.take(v.seq(), v.payload(), v.hasTcpFlags(TcpFlags.FIN));
    }

    /** A TCP receiver's in-order reading: segments queued until contiguous, each byte taken once. */
    private static final class Receiver {
        final long isn;
        final FuzzSession session;
        final boolean fromClient;
        long next;
        boolean finRead;
        long finSeq = -1;
        boolean liar;
        final List<byte[]> queue = new ArrayList<>();
        final List<Long> queueSeq = new ArrayList<>();
        final ByteArrayOutputStream read = new ByteArrayOutputStream();

        Receiver(long isn, FuzzSession session, boolean fromClient) {
            this.isn = isn;
            this.session = session;
            this.fromClient = fromClient;
            this.next = u32(isn + 1);
        }

        /** The acknowledgement number this receiver may honestly send. */
        long acknowledgeable() {
            return finRead ? u32(next + 1) : next;
        }

        void take(long seq, byte[] payload, boolean fin) {
            if (fin) {
                finSeq = u32(seq + payload.length);
            }
            queue.add(payload);
            queueSeq.add(seq);
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int i = 0; i < queue.size(); i++) {
                    byte[] p = queue.get(i);
                    long skip = u32(next - queueSeq.get(i));
                    if (skip < p.length) {
                        read.write(p, (int) skip, (int) (p.length - skip));
                        next = u32(next + p.length - skip);
                        progress = true;
                    }
                    if (skip < p.length || u32(queueSeq.get(i) - next) > 1 << 30) {
                        queue.remove(i);
                        queueSeq.remove(i);
                        i--;
                    }
                }
            }
            if (queue.size() > 64) {
                queue.remove(0);
                queueSeq.remove(0);
            }
            finRead = finSeq == next;
            verify();
        }

        private void verify() {
            if (session == null || session.allowed || liar) {
                return;
            }
            byte[] got = read.toByteArray();
            byte[] seen = (fromClient ? session.client : session.server).toByteArray();
            long approved = fromClient ? session.clientApproved : session.serverApproved;
            if (got.length > approved || !Arrays.equals(got, 0, got.length, seen, 0, got.length)) {
                throw new AssertionError("a receiver read " + got.length + " bytes \""
                        + new String(got, StandardCharsets.ISO_8859_1) + "\" but the gateway approved "
                        + approved + " of \"" + new String(seen, StandardCharsets.ISO_8859_1) + "\"");
            }
        }
    }

    /**
     * Client bytes: complete lines are approved, a line with DELETE is refused (with a refusal),
     * UPGRADE lets the connection through; server bytes are approved to their last newline.
     * Each byte must come once, in order.
     */
    static final class FuzzSession implements GatewaySession {
        final ByteArrayOutputStream client = new ByteArrayOutputStream();
        final ByteArrayOutputStream server = new ByteArrayOutputStream();
        long clientApproved;
        long serverApproved;
        boolean allowed;
        boolean closed;

        @Override
        public Verdict onClientBytes(long offset, ByteBuffer bytes) {
            take(client, offset, bytes);
            String text = client.toString(StandardCharsets.ISO_8859_1);
            int last = text.lastIndexOf('\n') + 1;
            if (text.substring(0, last).contains("DELETE")) {
                return Verdict.deny("DELETE", "HTTP/1.1 403 Forbidden\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (text.substring(0, last).contains("UPGRADE\n")) {
                allowed = true;
                return Verdict.allowFlow();
            }
            clientApproved = Math.max(clientApproved, last);
            return Verdict.approve(last);
        }

        @Override
        public Verdict onServerBytes(long offset, ByteBuffer bytes) {
            take(server, offset, bytes);
            int last = server.toString(StandardCharsets.ISO_8859_1).lastIndexOf('\n') + 1;
            serverApproved = Math.max(serverApproved, last);
            return Verdict.approve(last);
        }

        private void take(ByteArrayOutputStream seen, long offset, ByteBuffer bytes) {
            if (closed) {
                throw new AssertionError("bytes after close");
            }
            if (offset != seen.size()) {
                throw new AssertionError("bytes at offset " + offset + " but " + seen.size() + " were seen");
            }
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            seen.writeBytes(b);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
