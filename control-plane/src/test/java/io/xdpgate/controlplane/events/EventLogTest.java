package io.xdpgate.controlplane.events;

import static io.xdpgate.controlplane.events.FlowLogTest.NAT;
import static io.xdpgate.controlplane.events.FlowLogTest.ORIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernel events named after the policy: rule and gateway ids are indexes into the document. */
class EventLogTest {
    private static final int DEFAULT = (int) Abi.XG_RULE_DEFAULT;
    private static final PolicyDocument POLICY = new PolicyDocument("drop",
            List.of(GatewaySpec.of("raw", "tcp", "198.18.254.1", null, "30000-30099"),
                    GatewaySpec.of("http", "http", "198.18.255.1", null, "40000-40999")),
            List.of(new RuleSpec("ssh", null, null, "tcp", "22", null, "pass", null),
                    new RuleSpec("web", null, null, "tcp", "80", null, "redirect", "http"),
                    new RuleSpec("telnet", null, null, "tcp", "23", null, "drop", null)));
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final long MONO_NOW = 90_000_000_000L;

    private PolicyDocument policy = POLICY;
    private final EventLog log = new EventLog(new RecentEvents(8), new FlowLog(100, () -> MONO_NOW), () -> policy,
            Clock.fixed(NOW, ZoneOffset.UTC), () -> MONO_NOW);

    private static Event event(EventType type, long conn, Tuple nat, int ruleId, int gwId, Stat reason) {
        return new Event(MONO_NOW - 1_500_000_000L, conn, ORIG, nat, ruleId, gwId, type, reason);
    }

    @Test
    void aRedirectNamesItsRuleAndGatewayByIndex() {
        FlowEvent e = log.accept(event(EventType.REDIRECT, 42, NAT, 1, 1, null));
        assertEquals(new FlowEvent(1, NOW.minusMillis(1500), EventType.REDIRECT, 42, ORIG, NAT, 1L, "web", 1, "http",
                null), e);
        assertEquals("event=redirect conn=42 orig=tcp 198.18.1.2:40312 -> 198.18.2.2:80"
                + " nat=tcp 198.18.1.2:40312 -> 198.18.255.1:40000 rule=web gateway=http", FlowText.line(e));
    }

    @Test
    void aPassedFlowHasNoGatewayAndNoNat() {
        FlowEvent e = log.accept(event(EventType.NEW, 43, Tuple.ZERO, 0, 0, null));
        assertEquals(new FlowEvent(1, NOW.minusMillis(1500), EventType.NEW, 43, ORIG, null, 0L, "ssh", null, null,
                null), e);
    }

    @Test
    void theDefaultActionIsCalledDefault() {
        FlowEvent e = log.accept(event(EventType.DROP, 0, Tuple.ZERO, DEFAULT, 0, Stat.DROP_DEFAULT));
        assertNull(e.ruleId());
        assertEquals("default", e.rule());
        assertNull(e.gatewayId());
        assertEquals(Stat.DROP_DEFAULT, e.reason());
        assertEquals("default", e.reasonName());
        assertEquals(0, e.connId());
    }

    @Test
    void aDropRuleIsNamedAndHasNoGateway() {
        FlowEvent e = log.accept(event(EventType.DROP, 0, Tuple.ZERO, 2, 0, Stat.DROP_POLICY));
        assertEquals("telnet", e.rule());
        assertEquals(2L, e.ruleId());
        assertNull(e.gatewayId());
        assertEquals("policy", e.reasonName());
    }

    @Test
    void gatewayTroubleNamesTheGatewayAPortlessRedirectDoesNot() {
        FlowEvent down = log.accept(event(EventType.DROP, 0, Tuple.ZERO, 1, 1, Stat.DROP_GW_DOWN));
        assertEquals(1, down.gatewayId());
        assertEquals("http", down.gateway());
        assertEquals("gw_down", down.reasonName());
        // a redirect rule matching a flow without ports: a policy drop, the kernel reports gw_id 0
        FlowEvent portless = log.accept(event(EventType.DROP, 0, Tuple.ZERO, 1, 0, Stat.DROP_POLICY));
        assertEquals("web", portless.rule());
        assertNull(portless.gatewayId());
        assertNull(portless.gateway());
    }

    @Test
    void aFailOpenBypassAndAClosedRedirectNameTheGateway() {
        FlowEvent bypass = log.accept(event(EventType.NEW, 44, Tuple.ZERO, 1, 1, null));
        assertEquals("http", bypass.gateway());
        assertNull(bypass.nat());
        FlowEvent closed = log.accept(event(EventType.CLOSED, 45, NAT, 1, 1, null));
        assertEquals("http", closed.gateway());
        assertEquals(NAT, closed.nat());
        FlowEvent closedPass = log.accept(event(EventType.CLOSED, 46, Tuple.ZERO, 0, 0, null));
        assertNull(closedPass.gatewayId());
        assertNull(closedPass.reason(), "only drops have a reason");
    }

    @Test
    void idsThePolicyInForceDoesNotHaveStayNumbers() {
        FlowEvent e = log.accept(event(EventType.REDIRECT, 47, NAT, 7, 5, null));
        assertEquals(7L, e.ruleId());
        assertNull(e.rule());
        assertEquals(5, e.gatewayId());
        assertNull(e.gateway());
        assertEquals("event=redirect conn=47 orig=tcp 198.18.1.2:40312 -> 198.18.2.2:80"
                + " nat=tcp 198.18.1.2:40312 -> 198.18.255.1:40000 rule=#7 gateway=#5", FlowText.line(e));
        policy = null;
        FlowEvent none = log.accept(event(EventType.DROP, 0, Tuple.ZERO, DEFAULT, 0, Stat.DROP_DEFAULT));
        assertEquals("default", none.rule(), "no policy: the kernel's empty generation drops by default");
    }

    @Test
    void eventsAreNumberedKeptAndCounted() {
        for (int i = 0; i < 10; i++) {
            log.accept(event(EventType.NEW, 100 + i, Tuple.ZERO, 0, 0, null));
        }
        assertEquals(10, log.received());
        assertEquals(8, log.recent().size(), "the buffer keeps the last 8");
        List<FlowEvent> kept = log.recent().find(100, null, null);
        assertEquals(3, kept.get(0).seq());
        assertEquals(102, kept.get(0).connId());
        assertEquals(10, kept.get(7).seq());
        assertEquals(0, log.suppressedLogLines());
    }

    @Test
    void anEventStampedAfterTheClockWasReadIsNow() {
        Event future = new Event(MONO_NOW + 5, 1, ORIG, Tuple.ZERO, 0, 0, EventType.NEW, null);
        assertEquals(NOW, log.accept(future).time());
    }
}
