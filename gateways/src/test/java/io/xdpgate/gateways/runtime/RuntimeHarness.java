package io.xdpgate.gateways.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.Meta;
import io.xdpgate.abi.TcpFlags;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.gateways.spi.Verdict;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A runtime over heap frames with a scripted gateway, and the frames of one connection
 * (client 40000 -> gateway pool port 50000, original server port 80), IPv4 or IPv6: what the
 * runtime tests send in, and what they read out, including the byte streams a receiver (one
 * that takes in-order bytes, as every stack does with released segments) would read.
 */
final class RuntimeHarness {
    static final int CHUNKS = 64;
    static final long CLIENT_ISN = 1000;
    static final long SERVER_ISN = 0xfffffff0L; // wraps during the tests: offsets must not
    static final int CPORT = 40000;
    static final int GWPORT = 50000;
    static final long CONN = 42;

    final boolean v6;
    final String client;
    final String gateway;
    final String server;
    final HeapFrames io;
    final ScriptedGateway gw = new ScriptedGateway();
    final GatewayRuntime rt;
    final GatewayRuntime.Limits limits;
    long now = 1_000_000_000L;
    /** The client port and connection id the helpers use: change them for a second connection. */
    int cport = CPORT;
    long conn = CONN;
    /** Options on the handshake's SYN and SYN-ACK (none by default). */
    byte[] clientSynOptions = new byte[0];
    byte[] serverSynOptions = new byte[0];
    /** The windows the SYN and SYN-ACK advertise (never scaled). */
    int clientSynWindow = 65535;
    int serverSynWindow = 65535;
    /** Applied to every client and server data frame the helpers build. */
    UnaryOperator<PacketBuilder> clientFrames = UnaryOperator.identity();
    UnaryOperator<PacketBuilder> serverFrames = UnaryOperator.identity();

    RuntimeHarness(boolean ipv6) {
        this(ipv6, GatewayRuntime.Limits.DEFAULT, OriginLookup.NONE, CHUNKS);
    }

    RuntimeHarness(boolean ipv6, GatewayRuntime.Limits limits, OriginLookup lookup) {
        this(ipv6, limits, lookup, CHUNKS);
    }

    RuntimeHarness(boolean ipv6, GatewayRuntime.Limits limits, OriginLookup lookup, int chunks) {
        v6 = ipv6;
        client = ipv6 ? "2001:db8:1::2" : "198.18.1.2";
        gateway = ipv6 ? "2001:db8:ff::1" : "198.18.255.1";
        server = ipv6 ? "2001:db8:2::2" : "198.18.2.2";
        io = new HeapFrames(chunks);
        this.limits = limits;
        rt = new GatewayRuntime("test", gw, io, lookup, limits, () -> now);
    }

    PacketBuilder frame(boolean fromClient) {
        PacketBuilder b = new PacketBuilder().srcMac("02:00:00:00:00:b0").dstMac("02:00:00:00:00:b1");
        b = v6 ? b.ipv6(fromClient ? client : gateway, fromClient ? gateway : client)
                : b.ipv4(fromClient ? client : gateway, fromClient ? gateway : client);
        return b.tcp(fromClient ? cport : GWPORT, fromClient ? GWPORT : cport);
    }

    byte[] meta(int dir) {
        return meta(conn, dir);
    }

    byte[] meta(long conn, int dir) {
        return Meta.CODEC.toBytes(Meta.of(conn, IpAddr.of(addr(server)), 80, dir, 0));
    }

    static InetAddress addr(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    void in(boolean fromClient, byte[] frame) {
        in(frame, meta(fromClient ? Abi.XG_DIR_ORIG : Abi.XG_DIR_REPLY));
    }

    void in(byte[] frame, byte[] meta) {
        rt.receive(io.receive(frame, meta), frame.length);
    }

    static long cSeq(long off) {
        return (CLIENT_ISN + 1 + off) & 0xffffffffL;
    }

    static long sSeq(long off) {
        return (SERVER_ISN + 1 + off) & 0xffffffffL;
    }

    /** A client segment at stream offset {@code off}, acknowledging the server's first byte, to change further. */
    PacketBuilder cb(long off, String payload, int extraFlags) {
        return clientFrames.apply(frame(true).seq(cSeq(off)).ackNumber(sSeq(0)).tcpFlags(TcpFlags.ACK | extraFlags)
                .payload(payload));
    }

    PacketBuilder sb(long off, String payload, int extraFlags) {
        return serverFrames.apply(frame(false).seq(sSeq(off)).ackNumber(cSeq(0)).tcpFlags(TcpFlags.ACK | extraFlags)
                .payload(payload));
    }

    byte[] c(long off, String payload, int extraFlags) {
        return cb(off, payload, extraFlags).build();
    }

    byte[] c(long off, String payload) {
        return c(off, payload, TcpFlags.PSH);
    }

    byte[] s(long off, String payload, int extraFlags) {
        return sb(off, payload, extraFlags).build();
    }

    /** A pure ACK from the client of the server's bytes before {@code serverOff}. */
    byte[] clientAck(long clientOff, long serverOff) {
        return clientFrames.apply(frame(true).seq(cSeq(clientOff)).ackNumber(sSeq(serverOff)).ack()).build();
    }

    /** A pure ACK from the server of the client's bytes before {@code clientOff}. */
    byte[] serverAck(long serverOff, long clientOff) {
        return serverFrames.apply(frame(false).seq(sSeq(serverOff)).ackNumber(cSeq(clientOff)).ack()).build();
    }

    byte[] clientSyn() {
        return frame(true).seq(CLIENT_ISN).syn().window(clientSynWindow).tcpOptions(clientSynOptions).build();
    }

    byte[] serverSynAck() {
        return frame(false).seq(SERVER_ISN).ackNumber(CLIENT_ISN + 1).syn().ack().window(serverSynWindow)
                .tcpOptions(serverSynOptions).build();
    }

    void handshake() {
        in(true, clientSyn());
        in(false, serverSynAck());
        in(true, clientFrames.apply(frame(true).seq(CLIENT_ISN + 1).ackNumber(sSeq(0)).ack()).build());
        assertEquals(3, io.sent.size(), "the handshake passes at once");
        io.sent.clear();
    }

    List<String> sentPayloads() {
        return io.sent.stream().map(f -> new String(PacketView.parse(f).payload(), StandardCharsets.ISO_8859_1))
                .toList();
    }

    /** The bytes a server reading the released frames in order takes: each once, from its next expected byte. */
    String serverReads() {
        return reads(true);
    }

    String clientReads() {
        return reads(false);
    }

    private String reads(boolean towardsServer) {
        long next = towardsServer ? cSeq(0) : sSeq(0);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (byte[] frame : io.sent) {
            PacketView v = PacketView.parse(frame);
            if (v.srcPort() != (towardsServer ? cport : GWPORT) || v.dstPort() != (towardsServer ? GWPORT : cport) || v.hasTcpFlags(TcpFlags.SYN) || v.hasTcpFlags(TcpFlags.RST)) {
                continue;
            }
            byte[] p = v.payload();
            long skip = (next - v.seq()) & 0xffffffffL;
            if (skip < p.length) {
                got.write(p, (int) skip, (int) (p.length - skip));
                next = (next + p.length - skip) & 0xffffffffL;
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    /** Approves every client byte up to the last newline; server bytes always. */
    void approveLines() {
        gw.rule = (dir, all) -> {
            if (dir.equals("s")) {
                return Verdict.approve(all.length);
            }
            int last = new String(all, StandardCharsets.ISO_8859_1).lastIndexOf('\n');
            return Verdict.approve(last + 1);
        };
    }

    /** Approves each complete line of client bytes unless it contains {@code word}, which is denied. */
    void denyLinesWith(String word) {
        gw.rule = (dir, all) -> {
            String text = new String(all, StandardCharsets.ISO_8859_1);
            if (dir.equals("s")) {
                return Verdict.approve(all.length);
            }
            int last = text.lastIndexOf('\n');
            if (text.substring(0, last + 1).contains(word)) {
                return Verdict.deny(word + " is not allowed");
            }
            return Verdict.approve(last + 1);
        };
    }

    /** Client bytes the gateway was given. */
    int fedCount() {
        return gw.client.size();
    }

    long count(RuntimeStats.Counter c) {
        return rt.stats().get(c);
    }

    /** Closes the runtime; every chunk must be back and nothing may stay charged to the hold budget. */
    void assertNoLeak() {
        rt.close();
        assertEquals(0, io.inUse(io.chunks()), "every chunk is back");
        assertEquals(0, rt.heldFrames(), "no frame charged");
        assertEquals(0, rt.heldBytes(), "no byte charged");
    }

    // ---- TCP options

    static byte[] timestamps(long val, long ecr) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.put((byte) 1).put((byte) 1).put((byte) 8).put((byte) 10).putInt((int) val).putInt((int) ecr);
        return b.array();
    }

    static byte[] windowScale(int shift) {
        return new byte[] {1, 3, 3, (byte) shift};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }
}
