package io.xdpgate.gateways.runtime;

import io.xdpgate.datapath.packet.ChecksumVerifier;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.Meta;
import io.xdpgate.abi.Checksum;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.abi.TcpFlags;
import io.xdpgate.gateways.runtime.RuntimeStats.Counter;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime over crafted frames: what reaches the gateway (each byte once, in order), what
 * is released and when, and the exact segments a deny sends. IPv4 and IPv6 alike.
 */
class GatewayRuntimeTest {
    private static final int CHUNKS = 64;
    private static final long CLIENT_ISN = 1000;
    private static final long SERVER_ISN = 0xfffffff0L; // wraps during the tests: offsets must not
    private static final int CPORT = 40000;
    private static final int GWPORT = 50000;
    private static final long CONN = 42;
    private static final String REFUSAL = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";

    private HeapFrames io;
    private ScriptedGateway gw;
    private GatewayRuntime rt;
    private long now;
    private boolean v6;
    private String client;
    private String gateway;
    private String server;

    private void start(boolean ipv6, GatewayRuntime.Limits limits, OriginLookup lookup) {
        v6 = ipv6;
        client = ipv6 ? "2001:db8:1::2" : "198.18.1.2";
        gateway = ipv6 ? "2001:db8:ff::1" : "198.18.255.1";
        server = ipv6 ? "2001:db8:2::2" : "198.18.2.2";
        io = new HeapFrames(CHUNKS);
        gw = new ScriptedGateway();
        now = 1_000_000_000L;
        rt = new GatewayRuntime("test", gw, io, lookup, limits, () -> now);
    }

    private void start(boolean ipv6) {
        start(ipv6, GatewayRuntime.Limits.DEFAULT, OriginLookup.NONE);
    }

    private PacketBuilder frame(boolean fromClient) {
        PacketBuilder b = new PacketBuilder().srcMac("02:00:00:00:00:b0").dstMac("02:00:00:00:00:b1");
        b = v6 ? b.ipv6(fromClient ? client : gateway, fromClient ? gateway : client)
                : b.ipv4(fromClient ? client : gateway, fromClient ? gateway : client);
        return b.tcp(fromClient ? CPORT : GWPORT, fromClient ? GWPORT : CPORT);
    }

    private byte[] meta(int dir) {
        return Meta.CODEC.toBytes(Meta.of(CONN, IpAddr.of(addr(server)), 80, dir, 0));
    }

    private static InetAddress addr(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void in(boolean fromClient, byte[] frame) {
        in(frame, meta(fromClient ? Abi.XG_DIR_ORIG : Abi.XG_DIR_REPLY));
    }

    private void in(byte[] frame, byte[] meta) {
        rt.receive(io.receive(frame, meta), frame.length);
    }

    /** Client data at stream offset {@code off}. */
    private byte[] c(long off, String payload, int extraFlags) {
        return frame(true).seq(CLIENT_ISN + 1 + off).ackNumber(sSeq(0)).tcpFlags(TcpFlags.ACK | extraFlags)
                .payload(payload).build();
    }

    private byte[] c(long off, String payload) {
        return c(off, payload, TcpFlags.PSH);
    }

    private byte[] s(long off, String payload, int extraFlags) {
        return frame(false).seq(sSeq(off)).ackNumber(CLIENT_ISN + 1).tcpFlags(TcpFlags.ACK | extraFlags)
                .payload(payload).build();
    }

    private static long sSeq(long off) {
        return (SERVER_ISN + 1 + off) & 0xffffffffL;
    }

    private void handshake() {
        in(true, frame(true).seq(CLIENT_ISN).syn().build());
        in(false, frame(false).seq(SERVER_ISN).ackNumber(CLIENT_ISN + 1).syn().ack().build());
        in(true, frame(true).seq(CLIENT_ISN + 1).ackNumber(sSeq(0)).ack().build());
        assertEquals(3, io.sent.size(), "the handshake passes at once");
        io.sent.clear();
    }

    private List<String> sentPayloads() {
        return io.sent.stream().map(f -> new String(PacketView.parse(f).payload(), StandardCharsets.ISO_8859_1))
                .toList();
    }

    /** Approves every client byte up to the last newline; server bytes always. */
    private void approveLines() {
        gw.rule = (dir, all) -> {
            if (dir.equals("s")) {
                return Verdict.approve(all.length);
            }
            int last = new String(all, StandardCharsets.ISO_8859_1).lastIndexOf('\n');
            return Verdict.approve(last + 1);
        };
    }

    private void assertNoLeak() {
        rt.close();
        assertEquals(0, io.inUse(CHUNKS), "every chunk is back");
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void theHandshakePassesAndOpensOneSessionWithTheOriginalTuple(boolean ipv6) {
        start(ipv6);
        handshake();
        assertEquals(List.of(new FlowContext(CONN, new InetSocketAddress(addr(client), CPORT),
                new InetSocketAddress(addr(server), 80))), gw.opened);
        assertEquals(1, rt.flowCount());
        in(true, frame(true).seq(CLIENT_ISN).syn().build());
        assertEquals(1, gw.opened.size(), "a retransmitted SYN opens nothing new");
        PacketView out = PacketView.parse(io.sent.get(0));
        assertEquals("02:00:00:00:00:b0", out.dstMac().toString(), "sent back the way it came");
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void bytesAreHeldUntilApprovedThenReleasedInOrderUnchanged(boolean ipv6) {
        start(ipv6);
        handshake();
        approveLines();
        byte[] first = c(0, "GET /");
        in(true, first);
        assertEquals(List.of(), io.sent, "held: not approved yet");
        in(true, c(5, " x\n"));
        assertEquals(List.of("GET /", " x\n"), sentPayloads());
        byte[] expected = first.clone();
        System.arraycopy(first, 6, expected, 0, 6);
        System.arraycopy(first, 0, expected, 6, 6);
        assertArrayEquals(expected, io.sent.get(0), "only the link addresses are swapped");
        assertEquals(List.of("c@0+5", "c@5+3"), gw.calls);
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void outOfOrderSegmentsWaitForTheGapAndAreFedInOrder(boolean ipv6) {
        start(ipv6);
        handshake();
        in(true, c(5, "world"));
        in(true, c(10, "!\n"));
        assertEquals(List.of(), gw.calls, "nothing is fed past a gap");
        assertEquals(List.of(), io.sent);
        in(true, c(0, "hello"));
        assertEquals(List.of("c@0+5", "c@5+5", "c@10+2"), gw.calls);
        assertEquals(List.of("hello", "world", "!\n"), sentPayloads());
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void overlappingSegmentsFeedEveryByteOnce(boolean ipv6) {
        start(ipv6);
        handshake();
        gw.rule = (dir, all) -> Verdict.approve(0);
        in(true, c(0, "0123456789"));
        in(true, c(5, "56789abcdefghij"));
        assertEquals(List.of("c@0+10", "c@10+10"), gw.calls);
        assertEquals("0123456789abcdefghij", gw.client.toString(StandardCharsets.ISO_8859_1));
        gw.rule = (dir, all) -> Verdict.approve(all.length);
        in(true, c(20, "k"));
        assertEquals(List.of("0123456789", "56789abcdefghij", "k"), sentPayloads(),
                "both originals go, in stream order: the receiver trims the overlap");
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void retransmissionsOfHeldBytesAreDroppedAndOfReleasedBytesForwarded(boolean ipv6) {
        start(ipv6);
        handshake();
        approveLines();
        in(true, c(0, "hello"));
        in(true, c(0, "hello"));
        assertEquals(1, rt.stats().get(Counter.DROP_DUPLICATE));
        assertEquals(List.of("c@0+5"), gw.calls);
        in(true, c(5, "\n"));
        assertEquals(List.of("hello", "\n"), sentPayloads());
        in(true, c(0, "hello"));
        assertEquals(List.of("hello", "\n", "hello"), sentPayloads(), "the receiver may have lost it");
        assertEquals(List.of("c@0+5", "c@5+1"), gw.calls, "never fed twice");
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aRetransmissionThatChangesHeldBytesIsDenied(boolean ipv6) {
        start(ipv6);
        handshake();
        approveLines();
        in(true, c(0, "GET /public"));
        in(true, c(0, "GET /secret"));
        assertEquals(1, rt.stats().get(Counter.FLOWS_DENIED));
        assertEquals(2, io.sent.size(), "two resets and nothing else");
        assertReset(io.sent.get(0), true, CLIENT_ISN + 1);
        assertReset(io.sent.get(1), false, sSeq(0));
        assertEquals(0, rt.flowCount());
        assertNoLeak();
    }

    private void assertReset(byte[] frame, boolean towardsServer, long seq) {
        PacketView v = PacketView.parse(frame);
        assertTrue(v.hasTcpFlags(TcpFlags.RST), "RST");
        assertEquals(towardsServer ? CPORT : GWPORT, v.srcPort());
        assertEquals(towardsServer ? GWPORT : CPORT, v.dstPort());
        assertEquals(addr(towardsServer ? client : gateway), v.srcAddress());
        assertEquals(seq, v.seq(), "exactly the receiver's next sequence number");
        assertTrue(ChecksumVerifier.verify(frame).allCorrect(), ChecksumVerifier.verify(frame).toString());
        assertEquals(0, v.payload().length);
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aDenyResetsTheServerAndRefusesTheClientThenResetsIt(boolean ipv6) {
        start(ipv6);
        handshake();
        gw.rule = (dir, all) -> {
            String text = new String(all, StandardCharsets.ISO_8859_1);
            if (text.contains("DELETE")) {
                return Verdict.deny("method DELETE is not allowed", REFUSAL.getBytes(StandardCharsets.ISO_8859_1));
            }
            return Verdict.approve(text.lastIndexOf('\n') + 1);
        };
        in(true, c(0, "GET /\n"));
        in(false, s(0, "200 ok\n", TcpFlags.PSH));
        in(true, c(6, "DELETE /x\n"));
        assertEquals(List.of("GET /\n", "200 ok\n", "", REFUSAL), sentPayloads(), "the DELETE never leaves");
        assertReset(io.sent.get(2), true, CLIENT_ISN + 1 + 6);
        PacketView refusal = PacketView.parse(io.sent.get(3));
        assertEquals(sSeq(7), refusal.seq(), "right after what the client got from the server");
        assertEquals(CLIENT_ISN + 1 + 16, refusal.ackNumber(), "acknowledges the refused request");
        assertTrue(refusal.hasTcpFlags(TcpFlags.FIN | TcpFlags.ACK | TcpFlags.PSH));
        assertTrue(ChecksumVerifier.verify(io.sent.get(3)).allCorrect());
        io.sent.clear();

        in(true, frame(true).seq(CLIENT_ISN + 17).ackNumber(sSeq(7 + REFUSAL.length() + 1)).ack().build());
        assertEquals(List.of(), io.sent, "the client's ACK is swallowed");
        in(true, c(16, "", TcpFlags.FIN));
        assertEquals(1, io.sent.size());
        assertReset(io.sent.get(0), false, sSeq(7 + REFUSAL.length() + 1));
        assertEquals(0, rt.flowCount());
        assertEquals(1, gw.closed);
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSilentRefusedClientIsResetAfterTheGracePeriod(boolean ipv6) {
        start(ipv6);
        handshake();
        gw.rule = (dir, all) -> Verdict.deny("no", "refused".getBytes(StandardCharsets.US_ASCII));
        in(true, c(0, "x"));
        io.sent.clear();
        now += GatewayRuntime.Limits.DEFAULT.denyGraceNs() - 1;
        rt.tick();
        assertEquals(List.of(), io.sent);
        now += 1;
        rt.tick();
        assertEquals(1, io.sent.size());
        assertReset(io.sent.get(0), false, sSeq("refused".length() + 1));
        assertEquals(0, rt.flowCount());
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aDenyWithoutRefusalResetsBothAtOnce(boolean ipv6) {
        start(ipv6);
        handshake();
        gw.rule = (dir, all) -> all.length > 3 ? Verdict.deny("too long") : Verdict.approve(all.length);
        in(true, c(0, "abc"));
        in(true, c(3, "defg"));
        assertEquals(List.of("abc", "", ""), sentPayloads());
        assertReset(io.sent.get(1), true, CLIENT_ISN + 1 + 3);
        assertReset(io.sent.get(2), false, sSeq(0));
        assertEquals(0, rt.flowCount());
        in(true, c(7, "more"));
        assertEquals(1, rt.stats().get(Counter.DROP_NO_FLOW), "a forgotten flow's frames are dropped");
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void allowFlowReleasesWhatIsHeldAndStopsInspecting(boolean ipv6) {
        start(ipv6);
        handshake();
        gw.rule = (dir, all) -> new String(all, StandardCharsets.ISO_8859_1).contains("ok")
                ? Verdict.allowFlow() : Verdict.approve(0);
        in(true, c(0, "o"));
        in(true, c(1, "k"));
        in(true, c(2, "anything"));
        in(false, s(0, "reply", TcpFlags.PSH));
        assertEquals(List.of("o", "k", "anything", "reply"), sentPayloads());
        assertEquals(List.of("c@0+1", "c@1+1"), gw.calls);
        assertEquals(1, rt.stats().get(Counter.FLOWS_ALLOWED));
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aFinWaitsForItsBytesAndBothFinsEndTheFlowAfterTheClosingTime(boolean ipv6) {
        start(ipv6);
        handshake();
        gw.rule = (dir, all) -> new String(all, StandardCharsets.ISO_8859_1).contains("c")
                ? Verdict.approve(all.length) : Verdict.approve(0);
        in(true, c(0, "ab"));
        in(true, c(2, "c", TcpFlags.FIN));
        assertEquals(List.of("ab", "c"), sentPayloads());
        assertTrue(PacketView.parse(io.sent.get(1)).hasTcpFlags(TcpFlags.FIN));
        in(false, s(0, "", TcpFlags.FIN));
        assertEquals(3, io.sent.size(), "the server's FIN has no bytes to wait for");
        now += GatewayRuntime.Limits.DEFAULT.closingNs();
        rt.tick();
        assertEquals(0, rt.flowCount());
        assertEquals(1, rt.stats().get(Counter.FLOWS_CLOSED));
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void heldFramesAreBoundedPerDirection(boolean ipv6) {
        start(ipv6, new GatewayRuntime.Limits(10, 2, 1_000_000_000L, 1, 1), OriginLookup.NONE);
        handshake();
        gw.rule = (dir, all) -> Verdict.approve(0);
        in(true, c(0, "a"));
        in(true, c(1, "b"));
        in(true, c(2, "c"));
        assertEquals(1, rt.stats().get(Counter.DROP_HELD_LIMIT));
        assertEquals("ab", gw.client.toString(StandardCharsets.ISO_8859_1));
        now += 1_000_000_000L;
        rt.tick();
        assertEquals(1, rt.stats().get(Counter.FLOWS_EXPIRED), "idle");
        assertEquals(0, io.inUse(CHUNKS), "expiry frees what was held");
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void framesTheRuntimeCannotPlaceAreDroppedByReason(boolean ipv6) {
        start(ipv6);
        in(true, c(0, "no SYN seen"));
        assertEquals(1, rt.stats().get(Counter.DROP_NO_FLOW));
        byte[] udp = (ipv6 ? new PacketBuilder().ipv6(client, gateway) : new PacketBuilder().ipv4(client, gateway))
                .udp(1, 2).payload("x").build();
        in(true, udp);
        assertEquals(1, rt.stats().get(Counter.DROP_NOT_TCP));
        in(frame(true).seq(CLIENT_ISN).syn().build(), null);
        assertEquals(1, rt.stats().get(Counter.DROP_NO_METADATA), "no metadata and nothing to look up");
        assertEquals(List.of(), io.sent);
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void withoutMetadataTheOriginComesFromTheLookup(boolean ipv6) {
        InetSocketAddress realClient = new InetSocketAddress(addr(ipv6 ? "2001:db8:1::99" : "198.18.1.99"), 1234);
        InetSocketAddress realServer = new InetSocketAddress(addr(ipv6 ? "2001:db8:2::2" : "198.18.2.2"), 8080);
        start(ipv6, GatewayRuntime.Limits.DEFAULT, (c, cport, gport) -> cport == CPORT && gport == GWPORT
                ? Optional.of(new FlowContext(7, realClient, realServer)) : Optional.empty());
        in(frame(true).seq(CLIENT_ISN).syn().build(), null);
        in(frame(false).seq(SERVER_ISN).ackNumber(CLIENT_ISN + 1).syn().ack().build(), null);
        in(c(0, "hi"), null);
        assertEquals(List.of(new FlowContext(7, realClient, realServer)), gw.opened);
        assertEquals(List.of("c@0+2"), gw.calls);
        assertEquals(3, io.sent.size());
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aNewSynOnTheSamePortsStartsANewSession(boolean ipv6) {
        start(ipv6);
        handshake();
        in(true, c(0, "old"));
        in(true, frame(true).seq(CLIENT_ISN + 50_000).syn().build());
        assertEquals(2, gw.opened.size());
        assertEquals(1, gw.closed);
        assertEquals(1, rt.flowCount());
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aGatewayThatThrowsDeniesTheConnection(boolean ipv6) {
        start(ipv6);
        handshake();
        gw.rule = (dir, all) -> {
            throw new IllegalStateException("bug");
        };
        in(true, c(0, "x"));
        assertEquals(1, rt.stats().get(Counter.FLOWS_DENIED), "fail closed");
        assertEquals(2, io.sent.size(), "both ends reset");
        assertNoLeak();
    }
}
