package io.xdpgate.controlplane.gateway;

import static io.xdpgate.controlplane.gateway.HostHarness.doc;
import static io.xdpgate.controlplane.gateway.HostHarness.gw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xdpgate.controlplane.config.GatewayRuntimeMetrics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway series on a host with fake maps under a real policy service: they appear with the
 * gateway's policy, read its runtime (flows, held bytes, counters), say down while it restarts, and
 * go when a policy drops the gateway. heldBytes reaches GatewayStatus, summed and per instance.
 */
class GatewayRuntimeMetricsTest {
    private final HostHarness h = new HostHarness();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayRuntimeMetrics metrics = new GatewayRuntimeMetrics(h.service, h.host);

    @Test
    void seriesFollowThePolicysGateways() {
        h.service.apply(doc(gw("web", "http", "198.18.255.1", "40000-40999")));
        metrics.bindTo(registry);
        FakePlumbing.FakeRuntime web = h.runtime("web");
        web.heldBytes = 1500;
        web.heartbeat = 7;
        metrics.refresh();

        assertEquals(1.0, gauge("xdpgate.gateway.up", "web"));
        assertEquals(0.0, gauge("xdpgate.gateway.flows", "web"));
        assertEquals(1500.0, gauge("xdpgate.gateway.held.bytes", "web"));
        assertEquals(7.0, registry.get("xdpgate.gateway.events").tag("gateway", "web").tag("counter", "frames_in")
                .functionCounter().count());
        GatewayStatus status = h.host.status("web").orElseThrow();
        assertEquals(1500, status.heldBytes());
        assertEquals(1500, status.instances().get(0).heldBytes());

        h.service.apply(doc(gw("api", "http", "198.18.255.2", "41000-41999")));
        metrics.refresh();

        assertEquals(1.0, gauge("xdpgate.gateway.up", "api"));
        for (String name : List.of("xdpgate.gateway.up", "xdpgate.gateway.flows", "xdpgate.gateway.held.bytes")) {
            assertNull(registry.find(name).tag("gateway", "web").gauge(), name + " of the dropped gateway");
        }
        assertNull(registry.find("xdpgate.gateway.events").tag("gateway", "web").functionCounter(),
                "the dropped gateway's counters go with it");
        FunctionCounter apiFrames = registry.find("xdpgate.gateway.events").tag("gateway", "api")
                .tag("counter", "frames_in").functionCounter();
        assertEquals(0.0, apiFrames.count());
    }

    @Test
    void aRestartingGatewayIsDown() {
        h.service.apply(doc(gw("web", "http", "198.18.255.1", "40000-40999")));
        metrics.bindTo(registry);
        h.runtime("web").die(new IllegalStateException("injected"));
        h.run(HostHarness.SUPERVISION.interval());
        metrics.refresh();

        assertEquals(0.0, gauge("xdpgate.gateway.up", "web"));
        assertEquals(0.0, gauge("xdpgate.gateway.held.bytes", "web"), "a restarting runtime holds nothing");
    }

    @Test
    void aRestartedRuntimeDoesNotTakeItsCountsBack() {
        h.service.apply(doc(gw("web", "http", "198.18.255.1", "40000-40999")));
        metrics.bindTo(registry);
        FakePlumbing.FakeRuntime first = h.runtime("web");
        first.heartbeat = 7;
        metrics.refresh();
        first.die(new IllegalStateException("injected"));
        h.run(HostHarness.SUPERVISION.interval());
        metrics.refresh();
        assertEquals(7.0, framesIn(), "while it restarts, what it counted stays");

        h.run(Duration.ofMillis(100));
        FakePlumbing.FakeRuntime again = h.runtime("web");
        assertNotSame(first, again);
        again.heartbeat = 3;
        metrics.refresh();

        // the sum of the runtimes' own counters is 3 now: a counter that fell would read as a
        // reset to rate(), and the whole total as traffic
        assertEquals(3, h.host.status("web").orElseThrow().counters().get("frames_in"));
        assertEquals(10.0, framesIn(), "7 before the restart and 3 since");
    }

    @Test
    void theProtocolsOwnCountersAreCountedBesideTheRuntimes() {
        h.service.apply(doc(gw("web", "http", "198.18.255.1", "40000-40999")));
        metrics.bindTo(registry);
        FakePlumbing.FakeRuntime first = h.runtime("web");
        ((HostHarness.App) first.app).refused().set(4);
        metrics.refresh();
        assertEquals(4.0, counter("protocol_refused"));

        // the protocol gateway outlives a runtime restart: its count neither resets nor doubles
        first.die(new IllegalStateException("injected"));
        h.run(HostHarness.SUPERVISION.interval());
        h.run(Duration.ofMillis(100));
        ((HostHarness.App) h.runtime("web").app).refused().set(5);
        metrics.refresh();
        assertEquals(5.0, counter("protocol_refused"));
    }

    private double counter(String name) {
        return registry.get("xdpgate.gateway.events").tag("gateway", "web").tag("counter", name)
                .functionCounter().count();
    }

    private double framesIn() {
        return counter("frames_in");
    }

    private double gauge(String name, String gateway) {
        Gauge g = registry.get(name).tag("gateway", gateway).gauge();
        return g.value();
    }
}
