package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeHarness.CLIENT_ISN;
import static io.xdpgate.gateways.runtime.RuntimeHarness.CONN;
import static io.xdpgate.gateways.runtime.RuntimeHarness.CPORT;
import static io.xdpgate.gateways.runtime.RuntimeHarness.GWPORT;
import static io.xdpgate.gateways.runtime.RuntimeHarness.SERVER_ISN;
import static io.xdpgate.gateways.runtime.RuntimeHarness.addr;
import static io.xdpgate.gateways.runtime.RuntimeHarness.sSeq;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.TcpFlags;
import io.xdpgate.datapath.packet.ChecksumVerifier;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.gateways.runtime.RuntimeStats.Counter;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.Verdict;
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
    private static final String REFUSAL = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";

    private RuntimeHarness h;

    private void start(boolean ipv6, GatewayRuntime.Limits limits, OriginLookup lookup) {
        h = new RuntimeHarness(ipv6, limits, lookup);
    }

    private void start(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void theHandshakePassesAndOpensOneSessionWithTheOriginalTuple(boolean ipv6) {
        start(ipv6);
        h.handshake();
        assertEquals(List.of(new FlowContext(CONN, new InetSocketAddress(addr(h.client), CPORT),
                new InetSocketAddress(addr(h.server), 80))), h.gw.opened);
        assertEquals(1, h.rt.flowCount());
        h.in(true, h.frame(true).seq(CLIENT_ISN).syn().build());
        assertEquals(1, h.gw.opened.size(), "a retransmitted SYN opens nothing new");
        PacketView out = PacketView.parse(h.io.sent.get(0));
        assertEquals("02:00:00:00:00:b0", out.dstMac().toString(), "sent back the way it came");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void bytesAreHeldUntilApprovedThenReleasedInOrderUnchanged(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.approveLines();
        byte[] first = h.c(0, "GET /");
        h.in(true, first);
        assertEquals(List.of(), h.io.sent, "held: not approved yet");
        h.in(true, h.c(5, " x\n"));
        assertEquals(List.of("GET /", " x\n"), h.sentPayloads());
        byte[] expected = first.clone();
        System.arraycopy(first, 6, expected, 0, 6);
        System.arraycopy(first, 0, expected, 6, 6);
        assertArrayEquals(expected, h.io.sent.get(0), "only the link addresses are swapped");
        assertEquals(List.of("c@0+5", "c@5+3"), h.gw.calls);
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void outOfOrderSegmentsWaitForTheGapAndAreFedInOrder(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.in(true, h.c(5, "world"));
        h.in(true, h.c(10, "!\n"));
        assertEquals(List.of(), h.gw.calls, "nothing is fed past a gap");
        assertEquals(List.of(), h.io.sent);
        h.in(true, h.c(0, "hello"));
        assertEquals(List.of("c@0+5", "c@5+5", "c@10+2"), h.gw.calls);
        assertEquals(List.of("hello", "world", "!\n"), h.sentPayloads());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void overlappingSegmentsFeedEveryByteOnce(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> Verdict.approve(0);
        h.in(true, h.c(0, "0123456789"));
        h.in(true, h.c(5, "56789abcdefghij"));
        assertEquals(List.of("c@0+10", "c@10+10"), h.gw.calls);
        assertEquals("0123456789abcdefghij", h.gw.client.toString(StandardCharsets.ISO_8859_1));
        h.gw.rule = (dir, all) -> Verdict.approve(all.length);
        h.in(true, h.c(20, "k"));
        assertEquals(List.of("0123456789", "56789abcdefghij", "k"), h.sentPayloads(),
                "both originals go, in stream order: the receiver trims the overlap");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void retransmissionsOfHeldBytesAreDroppedAndOfReleasedBytesForwarded(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.approveLines();
        h.in(true, h.c(0, "hello"));
        h.in(true, h.c(0, "hello"));
        assertEquals(1, h.count(Counter.DROP_DUPLICATE));
        assertEquals(List.of("c@0+5"), h.gw.calls);
        h.in(true, h.c(5, "\n"));
        assertEquals(List.of("hello", "\n"), h.sentPayloads());
        h.in(true, h.c(0, "hello"));
        assertEquals(List.of("hello", "\n", "hello"), h.sentPayloads(), "the receiver may have lost it");
        assertEquals(List.of("c@0+5", "c@5+1"), h.gw.calls, "never fed twice");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aRetransmissionThatChangesHeldBytesIsDenied(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.approveLines();
        h.in(true, h.c(0, "GET /public"));
        h.in(true, h.c(0, "GET /secret"));
        assertEquals(1, h.count(Counter.FLOWS_DENIED));
        assertEquals(1, h.count(Counter.DENY_CHANGED_BYTES));
        assertEquals(2, h.io.sent.size(), "two resets and nothing else");
        assertReset(h.io.sent.get(0), true, CLIENT_ISN + 1);
        assertReset(h.io.sent.get(1), false, sSeq(0));
        assertEquals(0, h.rt.flowCount());
        h.assertNoLeak();
    }

    static void assertReset(RuntimeHarness h, byte[] frame, boolean towardsServer, long seq) {
        PacketView v = PacketView.parse(frame);
        assertTrue(v.hasTcpFlags(TcpFlags.RST), "RST");
        assertEquals(towardsServer ? h.cport : GWPORT, v.srcPort());
        assertEquals(towardsServer ? GWPORT : h.cport, v.dstPort());
        assertEquals(addr(towardsServer ? h.client : h.gateway), v.srcAddress());
        assertEquals(seq, v.seq(), "exactly the receiver's next sequence number");
        assertTrue(ChecksumVerifier.verify(frame).allCorrect(), ChecksumVerifier.verify(frame).toString());
        assertEquals(0, v.payload().length);
    }

    private void assertReset(byte[] frame, boolean towardsServer, long seq) {
        assertReset(h, frame, towardsServer, seq);
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aDenyResetsTheServerAndRefusesTheClientThenResetsIt(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> {
            String text = new String(all, StandardCharsets.ISO_8859_1);
            if (text.contains("DELETE")) {
                return Verdict.deny("method DELETE is not allowed", REFUSAL.getBytes(StandardCharsets.ISO_8859_1));
            }
            return Verdict.approve(text.lastIndexOf('\n') + 1);
        };
        h.in(true, h.c(0, "GET /\n"));
        h.in(false, h.s(0, "200 ok\n", TcpFlags.PSH));
        h.in(true, h.c(6, "DELETE /x\n"));
        assertEquals(List.of("GET /\n", "200 ok\n", "", REFUSAL), h.sentPayloads(), "the DELETE never leaves");
        assertReset(h.io.sent.get(2), true, CLIENT_ISN + 1 + 6);
        PacketView refusal = PacketView.parse(h.io.sent.get(3));
        assertEquals(sSeq(7), refusal.seq(), "right after what the client got from the server");
        assertEquals(CLIENT_ISN + 1 + 16, refusal.ackNumber(), "acknowledges the refused request");
        assertTrue(refusal.hasTcpFlags(TcpFlags.FIN | TcpFlags.ACK | TcpFlags.PSH));
        assertTrue(ChecksumVerifier.verify(h.io.sent.get(3)).allCorrect());
        h.io.sent.clear();

        h.in(true, h.frame(true).seq(CLIENT_ISN + 17).ackNumber(sSeq(7 + REFUSAL.length() + 1)).ack().build());
        assertEquals(List.of(), h.io.sent, "the client's ACK is swallowed");
        h.in(true, h.c(16, "", TcpFlags.FIN));
        assertEquals(1, h.io.sent.size());
        assertReset(h.io.sent.get(0), false, sSeq(7 + REFUSAL.length() + 1));
        assertEquals(0, h.rt.flowCount());
        assertEquals(1, h.gw.closed);
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSilentRefusedClientIsResetAfterTheGracePeriod(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> Verdict.deny("no", "refused".getBytes(StandardCharsets.US_ASCII));
        h.in(true, h.c(0, "x"));
        h.io.sent.clear();
        h.now += GatewayRuntime.Limits.DEFAULT.denyGraceNs() - 1;
        h.rt.tick();
        assertEquals(List.of(), h.io.sent);
        h.now += 1;
        h.rt.tick();
        assertEquals(1, h.io.sent.size());
        assertReset(h.io.sent.get(0), false, sSeq("refused".length() + 1));
        assertEquals(0, h.rt.flowCount());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aDenyWithoutRefusalResetsBothAtOnce(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> all.length > 3 ? Verdict.deny("too long") : Verdict.approve(all.length);
        h.in(true, h.c(0, "abc"));
        h.in(true, h.c(3, "defg"));
        assertEquals(List.of("abc", "", ""), h.sentPayloads());
        assertReset(h.io.sent.get(1), true, CLIENT_ISN + 1 + 3);
        assertReset(h.io.sent.get(2), false, sSeq(0));
        assertEquals(0, h.rt.flowCount());
        h.in(true, h.c(7, "more"));
        assertEquals(1, h.count(Counter.DROP_NO_FLOW), "a forgotten flow's frames are dropped");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void allowFlowReleasesWhatIsHeldAndStopsInspecting(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> new String(all, StandardCharsets.ISO_8859_1).contains("ok")
                ? Verdict.allowFlow() : Verdict.approve(0);
        h.in(true, h.c(0, "o"));
        h.in(true, h.c(1, "k"));
        h.in(true, h.c(2, "anything"));
        h.in(false, h.s(0, "reply", TcpFlags.PSH));
        assertEquals(List.of("o", "k", "anything", "reply"), h.sentPayloads());
        assertEquals(List.of("c@0+1", "c@1+1"), h.gw.calls);
        assertEquals(1, h.count(Counter.FLOWS_ALLOWED));
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aFinWaitsForItsBytesAndBothFinsEndTheFlowAfterTheClosingTime(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> new String(all, StandardCharsets.ISO_8859_1).contains("c")
                ? Verdict.approve(all.length) : Verdict.approve(0);
        h.in(true, h.c(0, "ab"));
        h.in(true, h.c(2, "c", TcpFlags.FIN));
        assertEquals(List.of("ab", "c"), h.sentPayloads());
        assertTrue(PacketView.parse(h.io.sent.get(1)).hasTcpFlags(TcpFlags.FIN));
        h.in(false, h.s(0, "", TcpFlags.FIN));
        assertEquals(3, h.io.sent.size(), "the server's FIN has no bytes to wait for");
        h.now += GatewayRuntime.Limits.DEFAULT.closingNs();
        h.rt.tick();
        assertEquals(0, h.rt.flowCount());
        assertEquals(1, h.count(Counter.FLOWS_CLOSED));
        h.assertNoLeak();
    }

    /** A finished connection keeps its TCP state for the closing time, but not its session. */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aFinishedFlowClosesItsSessionAtTheNextTickAndLingersWithoutIt(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.approveLines();
        h.in(true, h.c(0, "GET /\n", TcpFlags.FIN));
        h.in(false, h.s(0, "200\n", TcpFlags.FIN));
        h.rt.tick();
        assertEquals(1, h.gw.closed, "closed once both FINs went through");
        assertEquals(1, h.rt.flowCount(), "the flow stays for the closing time");
        h.in(false, h.s(0, "200\n", TcpFlags.FIN));
        assertEquals(2, h.sentPayloads().stream().filter(p -> p.equals("200\n")).count(),
                "a retransmission of the same bytes still passes");
        h.now += GatewayRuntime.Limits.DEFAULT.closingNs();
        h.rt.tick();
        assertEquals(0, h.rt.flowCount());
        assertEquals(1, h.gw.closed, "closed once, not again at the end");
        h.assertNoLeak();
    }

    /**
     * Changed with the hold budget (issue 10): frames are bounded per connection, not per
     * direction; a connection whose budget is full of bytes awaiting a verdict is refused
     * rather than left to idle out. HoldBudgetTest has the budget's other rules.
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void heldFramesAreBoundedPerConnection(boolean ipv6) {
        start(ipv6, new GatewayRuntime.Limits(10, 1_000_000_000L, 1, 1).withHoldBudget(2, 1 << 20, 100, 1 << 20),
                OriginLookup.NONE);
        h.handshake();
        h.gw.rule = (dir, all) -> Verdict.approve(0);
        h.in(true, h.c(0, "a"));
        h.in(true, h.c(1, "b"));
        assertEquals(2, h.rt.heldFrames());
        h.in(true, h.c(2, "c"));
        assertEquals(1, h.count(Counter.DROP_HELD_LIMIT));
        assertEquals("ab", h.gw.client.toString(StandardCharsets.ISO_8859_1));
        assertEquals(1, h.count(Counter.DENY_HELD_BUDGET), "nothing could ever be released");
        assertEquals(List.of("", ""), h.sentPayloads(), "both ends reset, nothing held delivered");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void anIdleConnectionExpiresAndFreesWhatItHeld(boolean ipv6) {
        start(ipv6, new GatewayRuntime.Limits(10, 1_000_000_000L, 1, 1), OriginLookup.NONE);
        h.handshake();
        h.gw.rule = (dir, all) -> Verdict.approve(0);
        h.in(true, h.c(0, "a"));
        h.now += 1_000_000_000L;
        h.rt.tick();
        assertEquals(1, h.count(Counter.FLOWS_EXPIRED), "idle");
        assertEquals(0, h.io.inUse(h.io.chunks()), "expiry frees what was held");
        assertEquals(0, h.rt.heldFrames());
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void framesTheRuntimeCannotPlaceAreDroppedByReason(boolean ipv6) {
        start(ipv6);
        h.in(true, h.c(0, "no SYN seen"));
        assertEquals(1, h.count(Counter.DROP_NO_FLOW));
        byte[] icmp = (ipv6 ? new PacketBuilder().ipv6(h.client, h.gateway) : new PacketBuilder().ipv4(h.client, h.gateway))
                .icmp(ipv6 ? 128 : 8, 0).payload("x").build();
        h.in(true, icmp);
        assertEquals(1, h.count(Counter.DROP_MALFORMED), "neither TCP nor UDP");
        h.in(h.frame(true).seq(CLIENT_ISN).syn().build(), null);
        assertEquals(1, h.count(Counter.DROP_NO_METADATA), "no metadata and nothing to look up");
        assertEquals(List.of(), h.io.sent);
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void withoutMetadataTheOriginComesFromTheLookup(boolean ipv6) {
        InetSocketAddress realClient = new InetSocketAddress(addr(ipv6 ? "2001:db8:1::99" : "198.18.1.99"), 1234);
        InetSocketAddress realServer = new InetSocketAddress(addr(ipv6 ? "2001:db8:2::2" : "198.18.2.2"), 8080);
        start(ipv6, GatewayRuntime.Limits.DEFAULT, (proto, c, cport, gport) -> proto == IpProto.TCP && cport == CPORT && gport == GWPORT
                ? Optional.of(new FlowContext(7, realClient, realServer)) : Optional.empty());
        h.in(h.frame(true).seq(CLIENT_ISN).syn().build(), null);
        h.in(h.frame(false).seq(SERVER_ISN).ackNumber(CLIENT_ISN + 1).syn().ack().build(), null);
        h.in(h.c(0, "hi"), null);
        assertEquals(List.of(new FlowContext(7, realClient, realServer)), h.gw.opened);
        assertEquals(List.of("c@0+2"), h.gw.calls);
        assertEquals(3, h.io.sent.size());
        h.assertNoLeak();
    }

    /**
     * Changed with stream normalization (issue 10): a SYN with a new sequence number on the
     * ports of a live connection starts a new session only when the packet processor says it
     * is a new connection (a new id in the metadata); StreamNormalizationTest refuses the rest.
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aNewConnectionOnTheSamePortsStartsANewSession(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.in(true, h.c(0, "old"));
        h.in(h.frame(true).seq(CLIENT_ISN + 50_000).syn().build(), h.meta(CONN + 1, Abi.XG_DIR_ORIG));
        assertEquals(2, h.gw.opened.size());
        assertEquals(CONN + 1, h.gw.opened.get(1).connectionId());
        assertEquals(1, h.gw.closed);
        assertEquals(1, h.rt.flowCount());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aGatewayThatThrowsDeniesTheConnection(boolean ipv6) {
        start(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> {
            throw new IllegalStateException("bug");
        };
        h.in(true, h.c(0, "x"));
        assertEquals(1, h.count(Counter.FLOWS_DENIED), "fail closed");
        assertEquals(2, h.io.sent.size(), "both ends reset");
        h.assertNoLeak();
    }
}
