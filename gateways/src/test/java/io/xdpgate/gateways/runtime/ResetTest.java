package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeHarness.CLIENT_ISN;
import static io.xdpgate.gateways.runtime.RuntimeHarness.cSeq;
import static io.xdpgate.gateways.runtime.RuntimeHarness.sSeq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.TcpFlags;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.gateways.runtime.RuntimeStats.Counter;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 5961 3.2 in the runtime, whatever the packet processor in front let through: a RST ends
 * a connection only at exactly the sequence number its receiver expects next; in the window
 * but not exact it passes (the endpoint answers with a challenge ACK) and the connection stays;
 * outside the window it is dropped.
 */
class ResetTest {
    private RuntimeHarness h;

    private byte[] clientRst(long off) {
        return h.frame(true).seq(cSeq(off)).ackNumber(sSeq(0)).rst().ack().build();
    }

    private byte[] serverRst(long off) {
        return h.frame(false).seq(sSeq(off)).ackNumber(cSeq(0)).rst().ack().build();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aResetAtExactlyTheNextSequenceNumberEndsTheConnection(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.c(0, "abc"));
        h.in(true, clientRst(3));
        assertEquals(0, h.rt.flowCount());
        assertEquals(2, h.io.sent.size(), "the bytes and the reset");
        assertTrue(PacketView.parse(h.io.sent.get(1)).hasTcpFlags(TcpFlags.RST));
        assertEquals(1, h.gw.closed);
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aResetInTheWindowButNotExactPassesAndTheConnectionStays(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.c(0, "abc"));
        h.in(true, clientRst(100));
        assertEquals(1, h.count(Counter.RST_CHALLENGE));
        assertEquals(2, h.io.sent.size(), "passed: the server answers with a challenge ACK");
        assertEquals(1, h.rt.flowCount(), "the connection stays");
        h.in(true, h.c(3, "def"));
        assertEquals(List.of("c@0+3", "c@3+3"), h.gw.calls, "and is still inspected");
        h.in(false, serverRst(1));
        assertEquals(2, h.count(Counter.RST_CHALLENGE), "either way");
        h.in(false, serverRst(0));
        assertEquals(0, h.rt.flowCount());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aResetOutsideTheWindowIsDropped(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.serverSynWindow = 1000;
        h.handshake();
        h.in(true, h.c(0, "abc"));
        h.io.sent.clear();
        h.in(true, clientRst(1000));
        h.in(true, clientRst(-5));
        h.in(true, clientRst(2));
        assertEquals(1, h.count(Counter.RST_CHALLENGE), "2 is in the window the server still accepts");
        h.in(true, clientRst(5_000_000));
        assertEquals(3, h.count(Counter.DROP_RST_WINDOW));
        assertEquals(1, h.io.sent.size());
        assertEquals(1, h.rt.flowCount());
        h.assertNoLeak();
    }

    /**
     * The exact number is what the receiver was sent: a client holding unreleased bytes resets
     * at its own next number, which the server has not reached; it challenges, the client
     * answers at the server's number, and that one ends the connection here too.
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void theExactNumberIsWhatTheReceiverWasSentNotWhatTheSenderSent(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> Verdict.approve(Math.min(all.length, 4));
        h.in(true, h.c(0, "abcd"));
        h.in(true, h.c(4, "efgh"));
        assertEquals(1, h.rt.heldFrames(), "efgh awaits a verdict");
        h.in(true, clientRst(8));
        assertEquals(1, h.count(Counter.RST_CHALLENGE));
        assertEquals(1, h.rt.flowCount());
        assertEquals(1, h.rt.heldFrames());
        h.in(true, clientRst(4));
        assertEquals(0, h.rt.flowCount());
        assertEquals("abcd", h.serverReads(), "the held bytes never left");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void beforeTheHandshakeTheServersResetMustAcknowledgeTheSyn(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.in(true, h.clientSyn());
        h.in(false, h.frame(false).seq(0).ackNumber(CLIENT_ISN + 2).rst().ack().build());
        h.in(false, h.frame(false).seq(0).rst().build());
        assertEquals(2, h.count(Counter.DROP_RST_WINDOW));
        assertEquals(1, h.rt.flowCount());
        h.in(false, h.frame(false).seq(0).ackNumber(CLIENT_ISN + 1).rst().ack().build());
        assertEquals(0, h.rt.flowCount(), "connection refused");
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void beforeTheSynAckTheClientsResetMustFollowItsSyn(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.in(true, h.clientSyn());
        h.in(true, h.frame(true).seq(CLIENT_ISN + 5).rst().build());
        assertEquals(1, h.count(Counter.DROP_RST_WINDOW));
        h.in(true, h.frame(true).seq(CLIENT_ISN + 1).rst().build());
        assertEquals(0, h.rt.flowCount());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void anAllowedConnectionIsResetByTheSameRule(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> Verdict.allowFlow();
        h.in(true, h.c(0, "hello"));
        h.in(true, h.c(5, "more"));
        h.in(true, clientRst(70_000));
        assertEquals(1, h.count(Counter.DROP_RST_WINDOW));
        h.in(true, clientRst(3));
        assertEquals(1, h.count(Counter.RST_CHALLENGE));
        h.in(true, clientRst(9));
        assertEquals(0, h.rt.flowCount());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void afterADenyAResetEndsTheConnectionWithoutGoingOn(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.gw.rule = (dir, all) -> Verdict.deny("no", "refused".getBytes(StandardCharsets.US_ASCII));
        h.in(true, h.c(0, "x"));
        h.io.sent.clear();
        h.in(true, h.frame(true).seq(cSeq(1)).rst().build());
        assertEquals(List.of(), h.io.sent, "the server was reset already");
        assertEquals(0, h.rt.flowCount());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aResetAfterTheFinSitsPastIt(boolean ipv6) {
        h = new RuntimeHarness(ipv6);
        h.handshake();
        h.in(true, h.c(0, "ab", TcpFlags.FIN));
        h.in(true, clientRst(2));
        assertEquals(1, h.count(Counter.RST_CHALLENGE), "the FIN took a number");
        h.in(true, clientRst(3));
        assertEquals(0, h.rt.flowCount());
        h.assertNoLeak();
    }
}
