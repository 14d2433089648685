package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeHarness.CPORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xdpgate.gateways.runtime.RuntimeStats.Counter;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hold budget: frames and bytes per connection and in total, released-unacked bytes
 * included; a connection over its own budget has its new segments dropped (never another
 * connection's), near the total the connections holding the most are refused first.
 */
class HoldBudgetTest {
    private static final GatewayRuntime.Limits BASE = new GatewayRuntime.Limits(10, 1_000_000_000_000L,
            1_000_000_000L, 1_000_000_000L);

    private RuntimeHarness h;

    private String fed() {
        return h.gw.client.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theDefaultsStayBelowTheUmem() {
        GatewayRuntime.Limits d = GatewayRuntime.Limits.DEFAULT;
        assertEquals(512, d.maxHeldFramesPerFlow());
        assertEquals(4 << 20, d.maxHeldBytesPerFlow());
        assertEquals(4096, d.maxHeldFramesTotal(), "half of the socket's 8192 chunks");
        assertEquals(128 << 20, d.maxHeldBytesTotal());
        assertEquals(65_536, d.maxFlows());
        assertEquals(1024, new GatewayRuntime.Limits(10, 512, 1, 1, 1).maxHeldFramesPerFlow(),
                "the earlier per-direction shape: twice per connection");
        assertThrows(IllegalArgumentException.class, () -> BASE.withHoldBudget(0, 1, 1, 1));
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aConnectionOverItsFramesHasNewSegmentsDroppedAndOutOfOrderOnesMakeRoom(boolean ipv6) {
        h = new RuntimeHarness(ipv6, BASE.withHoldBudget(3, 1 << 20, 100, 1 << 20), OriginLookup.NONE);
        h.handshake();
        h.in(true, h.c(5, "fffff"));
        h.in(true, h.c(10, "kkkkk"));
        h.in(true, h.c(15, "ppppp"));
        h.in(true, h.c(20, "uuuuu"));
        assertEquals(1, h.count(Counter.DROP_HELD_LIMIT), "a fourth frame is one too many");
        assertEquals(3, h.rt.heldFrames());
        assertEquals(1, h.rt.flowCount(), "dropped, not refused: the sender retransmits");
        h.in(true, h.c(0, "aaaaa"));
        assertEquals(1, h.count(Counter.DROP_OOO_PRUNED), "the furthest waiting segment made room for the gap");
        assertEquals("aaaaafffffkkkkk", fed());
        assertEquals(0, h.rt.heldFrames(), "all approved and released");
        h.in(true, h.c(15, "ppppp"));
        h.in(true, h.c(20, "uuuuu"));
        assertEquals("aaaaafffffkkkkkpppppuuuuu", fed());
        assertEquals(fed(), h.serverReads());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void releasedBytesCountUntilAcknowledged(boolean ipv6) {
        h = new RuntimeHarness(ipv6, BASE.withHoldBudget(100, 10, 100, 1 << 20), OriginLookup.NONE);
        h.handshake();
        h.in(true, h.c(0, "123456"));
        assertEquals(6, h.rt.heldBytes(), "released, not acknowledged");
        h.in(true, h.c(6, "789abc"));
        assertEquals(1, h.count(Counter.DROP_HELD_LIMIT), "6 + 6 > 10");
        assertEquals(0, h.count(Counter.DENY_HELD_BUDGET), "an acknowledgement will make room");
        h.in(false, h.serverAck(0, 6));
        assertEquals(0, h.rt.heldBytes());
        h.in(true, h.c(6, "789abc"));
        assertEquals("123456789abc", fed());
        h.assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aConnectionWithItsBudgetFullOfUndecidedBytesIsRefused(boolean ipv6) {
        h = new RuntimeHarness(ipv6, BASE.withHoldBudget(100, 8, 100, 1 << 20), OriginLookup.NONE);
        h.handshake();
        h.gw.rule = (dir, all) -> Verdict.approve(0);
        h.in(true, h.c(0, "GET /aaa"));
        h.in(true, h.c(8, "a"));
        assertEquals(1, h.count(Counter.DROP_HELD_LIMIT));
        assertEquals(1, h.count(Counter.DENY_HELD_BUDGET));
        assertEquals(0, h.rt.flowCount(), "both ends reset");
        h.assertNoLeak();
    }

    /**
     * Near the total, the allowance of every connection shrinks with what is left: the one
     * holding most is refused while another still gets its segment held.
     */
    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void nearTheTotalTheConnectionsHoldingTheMostAreRefusedFirst(boolean ipv6) {
        h = new RuntimeHarness(ipv6, BASE.withHoldBudget(8, 1 << 20, 8, 1 << 20), OriginLookup.NONE);
        h.handshake();
        for (int i = 1; i <= 7; i++) {
            h.in(true, h.c(i * 10, "x"));
        }
        assertEquals(7, h.rt.heldFrames(), "below the pressure mark everything fits");
        h.in(true, h.c(80, "x"));
        assertEquals(1, h.count(Counter.DROP_HELD_TOTAL), "7 of 8 used: this connection may hold half of 8");
        h.cport = CPORT + 1;
        h.conn = 43;
        h.handshake();
        h.in(true, h.c(10, "y"));
        assertEquals(8, h.rt.heldFrames(), "the other connection, holding nothing, is let in");
        h.in(true, h.c(20, "y"));
        assertEquals(2, h.count(Counter.DROP_HELD_TOTAL), "the total is full");
        h.in(true, h.c(0, "y"));
        assertEquals("y", fed().substring(fed().length() - 1), "a gap filler still makes room among its own");
        h.assertNoLeak();
    }
}
