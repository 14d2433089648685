package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeHarness.CLIENT_ISN;
import static io.xdpgate.gateways.runtime.RuntimeHarness.CONN;
import static io.xdpgate.gateways.runtime.RuntimeHarness.SERVER_ISN;
import static io.xdpgate.gateways.runtime.RuntimeHarness.cSeq;
import static io.xdpgate.gateways.runtime.RuntimeHarness.concat;
import static io.xdpgate.gateways.runtime.RuntimeHarness.repeat;
import static io.xdpgate.gateways.runtime.RuntimeHarness.sSeq;
import static io.xdpgate.gateways.runtime.RuntimeHarness.timestamps;
import static io.xdpgate.gateways.runtime.RuntimeHarness.windowScale;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.TcpFlags;
import io.xdpgate.datapath.packet.ChecksumVerifier;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.gateways.runtime.RuntimeStats.Counter;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stream normalization: wherever a segment could be read two ways, the runtime normalizes or
 * refuses it, and counts it; the server then reads exactly the bytes the gateway approved.
 * Each attack that worked before, and each rule, over crafted frames.
 */
class StreamNormalizationTest {
    private RuntimeHarness h;

    private String fed() {
        return h.gw.client.toString(StandardCharsets.ISO_8859_1);
    }

    /** Approves complete lines of client bytes, refusing any that asks for /admin. */
    private void refuseAdmin() {
        h.gw.rule = (dir, all) -> {
            String text = new String(all, StandardCharsets.ISO_8859_1);
            if (dir.equals("s")) {
                return Verdict.approve(all.length);
            }
            int last = text.lastIndexOf('\n');
            for (String line : text.substring(0, last + 1).split("\n")) {
                if (line.matches("[A-Z]+ /admin.*")) {
                    return Verdict.deny("path /admin is denied");
                }
            }
            return Verdict.approve(last + 1);
        };
    }

    private boolean sentContains(String text) {
        return h.sentPayloads().stream().anyMatch(p -> p.contains(text));
    }

    // ---- URG

    /**
     * The attack: send("GET /"), send("X", MSG_OOB), send("admin/u ..."). The gateway read
     * /Xadmin/u, the server (urgent byte taken out of band) GET /admin/u. Now the URG flag
     * and pointer are cleared: the server reads the X in band, as the gateway did.
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void urgentDataIsPutBackInBandSoTheServerReadsWhatTheGatewayJudged(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        refuseAdmin();
        String rest = "admin/u HTTP/1.1\r\nHost: a\r\n\r\n";
        h.in(true, h.c(0, "GET /"));
        h.in(true, h.cb(5, "X", TcpFlags.PSH | TcpFlags.URG).urgentPointer(1).build());
        h.in(true, h.c(6, rest));
        assertEquals("GET /Xadmin/u HTTP/1.1\r\nHost: a\r\n\r\n", fed());
        assertEquals(fed(), h.serverReads(), "the server reads exactly what was judged");
        assertEquals(1, h.count(Counter.NORMALIZED_URG));
        for (byte[] frame : h.io.sent) {
            PacketView v = PacketView.parse(frame);
            assertFalse(v.hasTcpFlags(TcpFlags.URG), "no URG leaves");
            assertEquals(0, v.urgentPointer());
            assertTrue(ChecksumVerifier.verify(frame).allCorrect(), "checksum fixed: " + ChecksumVerifier.verify(frame));
        }
        h.assertNoLeak();
    }

    /** A pure ACK in urgent mode points at bytes still to come: its pointer is cleared too. */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void anUrgentPointerOnAPureAckIsClearedToo(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.frame(true).seq(cSeq(0)).ackNumber(sSeq(0)).ack().urg().urgentPointer(3).build());
        PacketView v = PacketView.parse(h.io.sent.get(0));
        assertFalse(v.hasTcpFlags(TcpFlags.URG));
        assertEquals(0, v.urgentPointer());
        assertTrue(ChecksumVerifier.verify(h.io.sent.get(0)).allCorrect());
        h.in(true, h.cb(0, "ab", TcpFlags.PSH).urgentPointer(1).build());
        assertEquals(0, PacketView.parse(h.io.sent.get(1)).urgentPointer(), "a pointer without the flag as well");
        assertEquals(2, h.count(Counter.NORMALIZED_URG));
        h.assertNoLeak();
    }

    // ---- SYN

    /**
     * The attack: after the handshake a client SYN-ACK moved the gateway's stream offsets, so
     * that a segment "DELETE /admin/x" + "GET / ..." was fed from its GET and released whole.
     * Now the SYN-ACK is refused and the segment is judged from its first byte.
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSynAckFromTheClientCannotMoveTheStreamOffsets(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        refuseAdmin();
        String smuggled = "DELETE /admin/x\n";
        h.in(true, h.frame(true).seq(cSeq(smuggled.length() - 1)).ackNumber(sSeq(0)).syn().ack().build());
        assertEquals(1, h.count(Counter.DROP_UNEXPECTED_SYN));
        assertEquals(List.of(), h.io.sent, "refused, not forwarded");
        h.in(true, h.c(0, smuggled + "GET / HTTP/1.1\n"));
        assertEquals(smuggled + "GET / HTTP/1.1\n", fed(), "judged from its first byte");
        assertEquals(1, h.count(Counter.FLOWS_DENIED));
        assertEquals("", h.serverReads());
        assertFalse(sentContains("DELETE"), "the DELETE never leaves");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSecondSynOnAStartedStreamPassesOnlyAsAnExactRetransmission(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.frame(true).seq(CLIENT_ISN + 7).syn().build());
        assertEquals(1, h.count(Counter.DROP_UNEXPECTED_SYN), "another sequence number, same connection");
        h.in(true, h.frame(true).seq(CLIENT_ISN).syn().ack().ackNumber(sSeq(0)).build());
        assertEquals(2, h.count(Counter.DROP_UNEXPECTED_SYN), "other flags");
        h.in(true, h.frame(true).seq(CLIENT_ISN).syn().tcpOptions(windowScale(7)).build());
        assertEquals(3, h.count(Counter.DROP_UNEXPECTED_SYN), "other options");
        assertEquals(List.of(), h.io.sent);
        h.in(true, h.clientSyn());
        assertEquals(1, h.io.sent.size(), "the same SYN again passes");
        assertEquals(1, h.gw.opened.size(), "one session throughout");
        h.in(true, h.c(0, "x\n"));
        assertEquals(List.of("c@0+2"), h.gw.calls, "offsets unchanged");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void theServerSendsOneSynAckThatAcknowledgesTheSynAndNoSyn(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.in(true, h.clientSyn());
        h.in(false, h.frame(false).seq(SERVER_ISN).ackNumber(CLIENT_ISN + 2).syn().ack().build());
        assertEquals(1, h.count(Counter.DROP_UNEXPECTED_SYN), "acknowledges something else than the SYN");
        h.in(false, h.frame(false).seq(SERVER_ISN).syn().build());
        assertEquals(2, h.count(Counter.DROP_UNEXPECTED_SYN), "a SYN from the server");
        h.in(true, h.c(0, "early"));
        assertEquals(List.of(), h.gw.calls, "no window from the server yet: nothing is fed");
        h.in(false, h.serverSynAck());
        h.in(false, h.serverSynAck());
        assertEquals(3, h.io.sent.size(), "the SYN, the SYN-ACK and its exact retransmission");
        h.in(false, h.frame(false).seq(sSeq(99)).ackNumber(CLIENT_ISN + 1).syn().ack().build());
        assertEquals(3, h.count(Counter.DROP_UNEXPECTED_SYN), "a SYN-ACK with another sequence number");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSynWithOtherFlagsOrDataOpensNothing(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.in(true, h.frame(true).seq(CLIENT_ISN).syn().fin().build());
        h.in(true, h.frame(true).seq(CLIENT_ISN).syn().urg().build());
        assertEquals(2, h.count(Counter.DROP_UNEXPECTED_SYN));
        h.in(true, h.frame(true).seq(CLIENT_ISN).syn().payload("fast open").build());
        assertEquals(1, h.count(Counter.DROP_SYN_DATA));
        assertEquals(List.of(), h.gw.opened);
        h.in(true, h.frame(true).seq(CLIENT_ISN).syn().tcpFlags(TcpFlags.SYN | TcpFlags.ECE | TcpFlags.CWR).build());
        assertEquals(1, h.gw.opened.size(), "an ECN-setup SYN is a SYN");
        h.assertNoLeak();
    }

    /** The packet processor gave the ports to a new connection (new id): the old session ends, a new one opens. */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSynAfterBothFinsStartsANewConnection(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.c(0, "", TcpFlags.FIN));
        h.in(false, h.s(0, "", TcpFlags.FIN));
        h.in(true, h.frame(true).seq(CLIENT_ISN + 9_999).syn().build());
        assertEquals(2, h.gw.opened.size());
        assertEquals(0, h.count(Counter.DROP_UNEXPECTED_SYN));
        h.assertNoLeak();
    }

    // ---- window

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void bytesOutsideTheReceiversWindowAreNotFed(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.serverSynWindow = 10;
        h.handshake();
        h.in(true, h.c(0, "0123456789A"));
        assertEquals(1, h.count(Counter.DROP_OUT_OF_WINDOW), "one byte past the SYN-ACK's window");
        assertEquals("", fed());
        h.in(true, h.c(0, "0123456789"));
        assertEquals("0123456789", fed());
        h.in(false, h.frame(false).seq(sSeq(0)).ackNumber(cSeq(10)).ack().window(5).build());
        h.in(true, h.c(10, "abcdef"));
        assertEquals(2, h.count(Counter.DROP_OUT_OF_WINDOW), "the window moved with the ACK: 5 more");
        h.in(true, h.c(10, "abcde"));
        assertEquals("0123456789abcde", fed());
        h.in(true, h.c(1_000_000, "far"));
        assertEquals(3, h.count(Counter.DROP_OUT_OF_WINDOW), "far ahead is not held either");
        assertEquals(0, h.rt.heldFrames());
        assertEquals(h.fedCount(), h.serverReads().length());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void windowsAreScaledAsBothSynsAgreed(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.clientSynOptions = windowScale(2);
        h.serverSynOptions = windowScale(3);
        h.serverSynWindow = 100;
        h.handshake();
        h.in(true, h.c(0, repeat('a', 101)));
        assertEquals(1, h.count(Counter.DROP_OUT_OF_WINDOW), "the SYN-ACK's window is not scaled");
        h.in(false, h.frame(false).seq(sSeq(0)).ackNumber(cSeq(0)).ack().window(100).build());
        h.in(true, h.c(0, repeat('a', 800)));
        assertEquals(800, h.fedCount(), "100 << 3");
        h.in(true, h.c(800, "b"));
        assertEquals(2, h.count(Counter.DROP_OUT_OF_WINDOW));
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void withoutBothSynsOfferingScalingWindowsAreNotScaled(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.serverSynOptions = windowScale(3);
        h.serverSynWindow = 100;
        h.handshake();
        h.in(false, h.frame(false).seq(sSeq(0)).ackNumber(cSeq(0)).ack().window(100).build());
        h.in(true, h.c(0, repeat('a', 101)));
        assertEquals(1, h.count(Counter.DROP_OUT_OF_WINDOW));
        h.assertNoLeak();
    }

    // ---- released bytes until acknowledged

    /**
     * The attack: an allowed GET of N bytes with TTL 1 was approved and released, then dropped
     * by this firewall's own forwarding; the same range as "DELETE /admin/..." with a normal
     * TTL was forwarded as a retransmission without a look. Now a TTL of 1 is refused before
     * a byte is fed, so the DELETE is judged as what it is.
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSegmentThatCannotLeaveTheFirewallIsNotJudgedSoItsReplacementIs(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        refuseAdmin();
        String get = "GET /public/xx\n";
        String delete = "DELETE /admin/\n";
        assertEquals(get.length(), delete.length());
        h.in(true, h.cb(0, get, TcpFlags.PSH).ttl(1).build());
        assertEquals(1, h.count(Counter.DROP_TTL));
        assertEquals("", fed());
        h.in(true, h.c(0, delete));
        assertEquals(delete, fed());
        assertEquals(1, h.count(Counter.FLOWS_DENIED));
        assertFalse(sentContains("DELETE"));
        h.assertNoLeak();
    }

    /**
     * The same attack where the first copy is lost after this firewall (a TTL that dies on a
     * later hop, a full queue): released bytes are kept until the server acknowledges them,
     * and a different copy of them denies the connection.
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aRetransmissionThatDiffersFromReleasedBytesDeniesTheConnection(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        refuseAdmin();
        String get = "GET /public/xx\n";
        h.in(true, h.c(0, get));
        assertEquals(List.of(get), h.sentPayloads(), "approved and released");
        assertEquals(get.length(), h.rt.heldBytes(), "kept until acknowledged");
        h.io.sent.clear();
        h.in(true, h.c(0, "DELETE /admin/\n"));
        assertEquals(1, h.count(Counter.DENY_CHANGED_BYTES));
        assertEquals(1, h.count(Counter.FLOWS_DENIED));
        assertFalse(sentContains("DELETE"));
        assertEquals(2, h.io.sent.size(), "the resets only");
        GatewayRuntimeTest.assertReset(h, h.io.sent.get(0), true, cSeq(get.length()));
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aRetransmissionThatExtendsReleasedBytesIsComparedOnTheirPart(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.approveLines();
        h.in(true, h.c(0, "GET /a\n"));
        h.in(true, h.c(0, "GET /a\nGET /b\n"));
        assertEquals("GET /a\nGET /b\n", fed(), "the new part is fed");
        assertEquals(List.of("GET /a\n", "GET /a\nGET /b\n"), h.sentPayloads());
        h.in(true, h.c(0, "GET /x\nGET /b\nGET /c\n"));
        assertEquals(1, h.count(Counter.DENY_CHANGED_BYTES), "a changed byte among the released ones");
        assertFalse(sentContains("GET /x"));
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void acknowledgedBytesAreForgottenAndTheirRetransmissionsPass(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.approveLines();
        h.in(true, h.c(0, "GET /a\n"));
        assertEquals(7, h.rt.heldBytes());
        h.in(false, h.serverAck(0, 4));
        assertEquals(3, h.rt.heldBytes(), "the server has four of them");
        h.in(true, h.c(0, "XXXX/a\n"));
        assertEquals(0, h.count(Counter.DENY_CHANGED_BYTES), "only bytes the server may still read count");
        h.in(false, h.serverAck(0, 7));
        assertEquals(0, h.rt.heldBytes());
        h.in(true, h.c(0, "GET /a\n"));
        assertEquals(5, h.io.sent.size(), "a retransmission of acknowledged bytes passes: the server answers it");
        assertEquals(List.of("c@0+7"), h.gw.calls, "and is not fed");
        assertEquals("GET /a\n", h.serverReads());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void twoHeldCopiesOfABytePastAGapMustAgree(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.c(5, "world"));
        h.in(true, h.c(7, "rlD!"));
        assertEquals(1, h.count(Counter.DENY_CHANGED_BYTES), "two copies of offset 9 differ");
        assertEquals(List.of(), h.gw.calls);
        h.assertNoLeak();
    }

    // ---- checksums

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSegmentWithABadChecksumIsDroppedBeforeAByteIsFed(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.approveLines();
        h.in(true, h.cb(0, "DELETE /x\n", TcpFlags.PSH).breakL4Checksum().build());
        assertEquals(1, h.count(Counter.DROP_BAD_CHECKSUM));
        assertEquals("", fed(), "a receiver would drop it: fed, it would desynchronize");
        h.in(true, h.c(0, "GET /ok\n"));
        assertEquals("GET /ok\n", fed());
        assertEquals("GET /ok\n", h.serverReads());
        h.assertNoLeak();
    }

    /** The sum runs 8, 4, 2 and 1 bytes at a time: every length's tail, right and one bit wrong. */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void everyPayloadLengthIsCheckedWithEveryByteCounted(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.approveLines();
        long off = 0;
        StringBuilder expected = new StringBuilder();
        for (int len = 1; len <= 24; len++) {
            String text = "a".repeat(len - 1) + "\n";
            byte[] bad = h.c(off, text, TcpFlags.PSH);
            bad[bad.length - 1] ^= 0x01; // one bit of the payload's last byte: the checksum no longer fits
            h.in(true, bad);
            assertEquals(len, h.count(Counter.DROP_BAD_CHECKSUM), "length " + len + " with a flipped bit");
            h.in(true, h.c(off, text, TcpFlags.PSH));
            expected.append(text);
            off += len;
        }
        assertEquals(expected.toString(), fed());
        h.assertNoLeak();
    }

    @Test
    void aBadIpv4HeaderChecksumIsDroppedToo() {
        h = new RuntimeHarness(false);
        h.handshake();
        h.in(true, h.cb(0, "x\n", TcpFlags.PSH).breakIpv4HeaderChecksum().build());
        assertEquals(1, h.count(Counter.DROP_BAD_CHECKSUM));
        assertEquals("", fed());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSynWithABadChecksumOpensNothing(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.in(true, h.frame(true).seq(CLIENT_ISN).syn().breakL4Checksum().build());
        assertEquals(1, h.count(Counter.DROP_BAD_CHECKSUM));
        assertEquals(List.of(), h.gw.opened);
        h.assertNoLeak();
    }

    // ---- TTL, IP options

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aTtlOrHopLimitOfOneIsRefusedTwoPasses(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.cb(0, "a", TcpFlags.PSH).ttl(1).build());
        h.in(true, h.cb(0, "a", TcpFlags.PSH).ttl(0).build());
        assertEquals(2, h.count(Counter.DROP_TTL));
        h.in(true, h.cb(0, "a", TcpFlags.PSH).ttl(2).build());
        assertEquals("a", fed());
        h.in(false, h.frame(false).seq(sSeq(0)).ackNumber(cSeq(1)).ack().ttl(1).build());
        assertEquals(3, h.count(Counter.DROP_TTL), "either way, any segment");
        h.assertNoLeak();
    }

    @Test
    void ipv4OptionsAreRefused() {
        h = new RuntimeHarness(false);
        h.handshake();
        h.in(true, h.cb(0, "a", TcpFlags.PSH).ipv4Options(new byte[] {(byte) 0x83, 7, 4, 0, 0, 0, 0}).build());
        h.in(true, h.cb(0, "a", TcpFlags.PSH).ipv4Options(new byte[] {1, 1, 1, 0}).build());
        assertEquals(2, h.count(Counter.DROP_IP_OPTIONS), "source routing, and even no-ops");
        assertEquals("", fed());
        h.assertNoLeak();
    }

    @Test
    void ipv6ExtensionHeadersAreNotTaken() {
        h = new RuntimeHarness(true);
        h.handshake();
        h.in(true, h.cb(0, "a", TcpFlags.PSH).destinationOptions(new byte[0]).build());
        assertEquals(1, h.count(Counter.DROP_MALFORMED));
        assertEquals("", fed());
        h.assertNoLeak();
    }

    // ---- TCP options

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void tcpOptionsThatReceiversReadDifferentlyAreRefused(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.cb(0, "a", TcpFlags.PSH).tcpOptions(new byte[] {1, 1, 5, 1}).build());
        h.in(true, h.cb(0, "a", TcpFlags.PSH).tcpOptions(new byte[] {1, 1, 8, 12}).build());
        h.in(true, h.cb(0, "a", TcpFlags.PSH).tcpOptions(concat(timestamps(1, 0), timestamps(2, 0))).build());
        h.in(true, h.cb(0, "a", TcpFlags.PSH).tcpOptions(new byte[] {19, 18, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 1, 1}).build());
        assertEquals(4, h.count(Counter.DROP_TCP_OPTIONS), "length 1, past the header, twice, an MD5 signature");
        assertEquals("", fed());
        h.in(true, h.cb(0, "a", TcpFlags.PSH).tcpOptions(new byte[] {1, 1, 4, 2, (byte) 254, 2, 0, 0}).build());
        assertEquals("a", fed(), "unknown and SACK-permitted options are fine");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSignedSynOpensNothing(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.clientSynOptions = new byte[] {29, 4, 0, 0};
        h.in(true, h.clientSyn());
        assertEquals(1, h.count(Counter.DROP_TCP_OPTIONS), "TCP-AO: the gateway cannot check what the server will");
        assertEquals(List.of(), h.gw.opened);
        h.assertNoLeak();
    }

    // ---- timestamps (PAWS)

    private long tsVal;

    private void withTimestamps() {
        h.clientSynOptions = timestamps(100, 0);
        h.serverSynOptions = timestamps(5000, 100);
        tsVal = 100;
        h.clientFrames = b -> b.tcpOptions(timestamps(tsVal, 5000));
        h.serverFrames = b -> b.tcpOptions(timestamps(5000, tsVal));
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void withTimestampsAgreedAnOlderTimestampIsNotFed(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        withTimestamps();
        h.handshake();
        h.approveLines();
        tsVal = 200;
        h.in(true, h.c(0, "GET /a\n"));
        tsVal = 199;
        h.in(true, h.c(7, "GET /b\n"));
        assertEquals(1, h.count(Counter.DROP_PAWS), "the server's PAWS would drop it");
        assertEquals("GET /a\n", fed());
        tsVal = 200;
        h.in(true, h.c(7, "GET /b\n"));
        assertEquals("GET /a\nGET /b\n", fed(), "the same value again is fine");
        assertEquals(fed(), h.serverReads());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void withTimestampsAgreedASegmentWithoutOneIsNotFed(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        withTimestamps();
        h.handshake();
        h.clientFrames = b -> b;
        h.in(true, h.c(0, "a"));
        assertEquals(1, h.count(Counter.DROP_PAWS), "FreeBSD drops it, Linux takes it");
        assertEquals("", fed());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aTimestampThatWentThroughOnAPureAckCountsToo(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        withTimestamps();
        h.handshake();
        tsVal = 1_000_000;
        h.in(true, h.clientAck(0, 0));
        tsVal = 300;
        h.in(true, h.c(0, "a"));
        assertEquals(1, h.count(Counter.DROP_PAWS), "the server may have taken the ACK's value");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void timestampsOfferedByOneSideOnlyAreIgnored(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.clientSynOptions = timestamps(100, 0);
        h.handshake();
        h.in(true, h.c(0, "a"));
        h.in(true, h.cb(1, "b", TcpFlags.PSH).tcpOptions(timestamps(1, 0)).build());
        assertEquals("ab", fed());
        h.assertNoLeak();
    }

    // ---- acknowledgements

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aSegmentTheReceiverWouldDropForItsAcknowledgementIsNotFed(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.frame(true).seq(cSeq(0)).tcpFlags(TcpFlags.PSH).payload("no ACK flag").build());
        h.in(true, h.frame(true).seq(cSeq(0)).ackNumber(sSeq(1)).ack().payload("acks unsent bytes").build());
        h.in(true, h.frame(true).seq(cSeq(0)).ackNumber(sSeq(-70_000)).ack().payload("acks long ago").build());
        assertEquals(3, h.count(Counter.DROP_BAD_ACK));
        assertEquals("", fed());
        h.in(false, h.s(0, "hi", TcpFlags.PSH));
        h.in(true, h.frame(true).seq(cSeq(0)).ackNumber(sSeq(2)).ack().payload("ok").build());
        assertEquals("ok", fed(), "acknowledging what the server was sent is fine");
        h.assertNoLeak();
    }

    // ---- FIN

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void nothingFollowsTheFinAndTheFinDoesNotMove(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> Verdict.approve(0);
        h.in(true, h.c(0, "abc", TcpFlags.FIN));
        h.in(true, h.c(3, "more"));
        h.in(true, h.c(0, "ab", TcpFlags.FIN));
        assertEquals(2, h.count(Counter.DROP_BEYOND_FIN));
        h.in(true, h.c(10, "x"));
        assertEquals(3, h.count(Counter.DROP_BEYOND_FIN), "past a gap too");
        assertEquals("abc", fed());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aFinBeforeBytesAlreadyTakenIsRefused(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.c(10, "x"));
        h.in(true, h.c(0, "abcde", TcpFlags.FIN));
        assertEquals(1, h.count(Counter.DROP_BEYOND_FIN));
        assertEquals("", fed());
        h.assertNoLeak();
    }

    // ---- a new connection id

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void withoutANewConnectionIdAResynIsRefused(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(h.frame(true).seq(CLIENT_ISN + 50_000).syn().build(), h.meta(CONN, Abi.XG_DIR_ORIG));
        assertEquals(1, h.count(Counter.DROP_UNEXPECTED_SYN));
        assertEquals(1, h.gw.opened.size());
        h.assertNoLeak();
    }
}
