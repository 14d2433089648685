package io.xdpgate.controlplane.gateway;

import static io.xdpgate.controlplane.gateway.HostHarness.doc;
import static io.xdpgate.controlplane.gateway.HostHarness.gw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's view of the gateway runtimes, without a kernel: a dead or stalled runtime leaves
 * the XSK map at the next look, is counted and logged once, and comes back after the restart delay
 * on the same pair (or on a new one when a stuck thread still holds the old pair's queue).
 */
class GatewaySupervisionTest {
    private static final PolicyDocument WEB = doc(gw("web", "http", "198.18.255.1", "40000-40999"));

    private final HostHarness h = new HostHarness();
    private final HostWarnings log = new HostWarnings();
    private final List<String> warnings = log.lines();

    @BeforeEach
    void start() {
        log.attach();
        h.service.apply(WEB);
    }

    @AfterEach
    void stopCapturing() {
        log.detach();
    }

    @Test
    void aBusyRuntimeIsLeftAlone() {
        FakePlumbing.FakeRuntime r = h.runtime("web");
        h.run(Duration.ofSeconds(10));
        assertSame(r, h.runtime("web"));
        assertEquals(r.fd, h.maps.xsks.get(0));
        assertTrue(warnings.isEmpty());
    }

    @Test
    void aDeadRuntimeIsNoticedAtTheNextLookAndRestartedOnTheSamePair() {
        FakePlumbing.FakeRuntime r = h.runtime("web");
        GatewayVeth pair = r.link;
        r.die(new IllegalStateException("boom"));

        h.run(HostHarness.SUPERVISION.interval());

        assertFalse(h.maps.xsks.containsKey(0), "out of the XSK map: the fail mode applies");
        assertFalse(h.maps.up(0));
        assertTrue(r.released, "its socket closed");
        assertEquals(Map.of("died", 1L, "stalled", 0L), h.host.restartCounts("web"));
        GatewayStatus down = h.host.status("web").orElseThrow();
        assertEquals("restarting", down.state());
        assertFalse(down.running());
        assertEquals("died", down.lastRestartCause());
        assertEquals(1, warnings.size(), "one WARN line");
        String line = warnings.get(0);
        assertTrue(line.contains("gateway=web") && line.contains("cause=died")
                && line.contains("java.lang.IllegalStateException"), line);
        assertFalse(line.contains("boom"), "the cause by type; the trace was logged by the runtime itself: " + line);

        h.run(Duration.ofMillis(100));

        FakePlumbing.FakeRuntime again = h.runtime("web");
        assertNotSame(r, again);
        assertSame(pair, again.link, "same pair");
        assertEquals(again.fd, h.maps.xsks.get(0));
        assertTrue(h.maps.up(0));
        assertEquals("running", h.host.status("web").orElseThrow().state());
        assertEquals(1, warnings.size());
    }

    @Test
    void aStalledRuntimeIsToldToStopAndRestartedOnceItReturns() {
        FakePlumbing.FakeRuntime r = h.runtime("web");
        GatewayVeth pair = r.link;
        h.run(Duration.ofSeconds(1));
        r.frozen = true;

        h.run(Duration.ofMillis(1000));
        assertTrue(h.maps.xsks.containsKey(0), "a second without a beat is not yet a stall");
        h.run(Duration.ofMillis(100));

        assertFalse(h.maps.xsks.containsKey(0));
        assertTrue(r.stopRequested);
        assertEquals(Map.of("died", 0L, "stalled", 1L), h.host.restartCounts("web"));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("cause=stalled"), warnings.get(0));

        h.run(Duration.ofMillis(100));
        FakePlumbing.FakeRuntime again = h.runtime("web");
        assertNotSame(r, again);
        assertTrue(r.released);
        assertSame(pair, again.link);
        assertEquals(again.fd, h.maps.xsks.get(0));
    }

    @Test
    void aRuntimeStuckForGoodLosesItsPairToTheRestart() {
        FakePlumbing.FakeRuntime r = h.runtime("web");
        GatewayVeth pair = r.link;
        r.stuck = true;
        r.frozen = true;

        h.run(Duration.ofMillis(1300));

        FakePlumbing.FakeRuntime again = h.runtime("web");
        assertFalse(r.released, "still stuck: it closes its socket itself when it returns");
        assertTrue(r.unbound, "its pair was deleted, which unbinds its socket");
        GatewayVeth fresh = again.link;
        assertEquals(pair.processorEnd(), fresh.processorEnd(), "the same name");
        assertNotEquals(pair.processorIfindex(), fresh.processorIfindex(), "a new pair");
        assertEquals(fresh.processorIfindex(), h.maps.tx.get(0));
        assertEquals(fresh.processorIfindex(), h.maps.gateways.get(0).ifindex());
        assertEquals(fresh.gatewayMac(), h.maps.gateways.get(0).mac());
        assertFalse(h.maps.ifaces.containsKey(pair.processorIfindex()));
        assertEquals(0, h.maps.ifaces.get(fresh.gatewayIfindex()).gwId());
        assertEquals(again.fd, h.maps.xsks.get(0));
        assertTrue(h.maps.up(0));
    }

    @Test
    void theWatchdogHeldUpIsNoStall() {
        FakePlumbing.FakeRuntime r = h.runtime("web");
        h.nanos.addAndGet(Duration.ofSeconds(5).toNanos()); // a pause that stopped every thread
        h.host.supervise();
        r.heartbeat++;
        h.run(Duration.ofMillis(300));
        assertSame(r, h.runtime("web"));
        assertTrue(warnings.isEmpty());
    }

    @Test
    void repeatedFailuresBackOff() {
        long[] waits = new long[4];
        for (int i = 0; i < waits.length; i++) {
            h.runtime("web").die(new AssertionError("again"));
            h.run(HostHarness.SUPERVISION.interval());
            long t0 = h.nanos.get();
            while (h.plumbing.serving("web").isEmpty()) {
                h.run(HostHarness.SUPERVISION.interval());
            }
            waits[i] = Duration.ofNanos(h.nanos.get() - t0).toMillis();
        }
        assertEquals(List.of(100L, 200L, 400L, 800L), List.of(waits[0], waits[1], waits[2], waits[3]));
        assertEquals(4L, h.host.restartCounts("web").get("died"));
    }

    @Test
    void aFailedRestartIsTriedAgainAndTheGatewayStaysDownMeanwhile() {
        h.runtime("web").die(new AssertionError("x"));
        h.plumbing.failStarts = true;
        h.run(Duration.ofMillis(500));
        assertTrue(h.plumbing.serving("web").isEmpty());
        assertFalse(h.maps.up(0));
        assertTrue(warnings.size() >= 2, "the failure and the failed restart");
        h.plumbing.failStarts = false;
        h.run(Duration.ofSeconds(2));
        assertEquals(h.runtime("web").fd, h.maps.xsks.get(0));
    }

    @Test
    void aPolicyChangeWhileRestartingIsWhatTheRestartUses() {
        h.runtime("web").die(new AssertionError("x"));
        h.run(HostHarness.SUPERVISION.interval());
        h.service.apply(doc(gw("web", "http", "198.18.255.1", "41000-41999", null, Map.of("allowMethods", List.of("GET")))));
        assertFalse(h.maps.up(0), "still down");
        h.run(Duration.ofMillis(200));
        FakePlumbing.FakeRuntime again = h.runtime("web");
        assertEquals(Map.of("allowMethods", List.of("GET")), ((HostHarness.App) again.app).config());
        assertEquals(41000, h.maps.gateways.get(0).portBase());
        assertTrue(h.maps.up(0));
    }

    @Test
    void aGatewayRemovedWhileRestartingStaysGone() {
        h.runtime("web").die(new AssertionError("x"));
        h.run(HostHarness.SUPERVISION.interval());
        h.service.apply(doc());
        h.run(Duration.ofSeconds(1));
        assertTrue(h.plumbing.serving("web").isEmpty());
        assertTrue(h.plumbing.links.isEmpty());
        assertEquals(1L, h.host.restartCounts("web").get("died"), "the counters stay");
    }
}
