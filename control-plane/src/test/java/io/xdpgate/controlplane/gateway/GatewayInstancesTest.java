package io.xdpgate.controlplane.gateway;

import static io.xdpgate.controlplane.gateway.HostHarness.doc;
import static io.xdpgate.controlplane.gateway.HostHarness.gw;
import static io.xdpgate.controlplane.gateway.HostHarness.instances;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Iface;
import io.xdpgate.abi.Role;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway served by several instances, without a kernel: a pair, socket and map slot each, all
 * pairs with the gateway's one MAC pair; one instance failing leaves the others registered (so
 * the packet processor sends new flows there) and comes back on its own; a change of the count
 * replaces the runtimes and leaves no slot of a removed instance behind.
 */
class GatewayInstancesTest {
    private static final PolicyDocument WEB2 = doc(instances(gw("web", "http", "198.18.255.1", "40000-40999"), 2));

    private final HostHarness h = new HostHarness();
    private final HostWarnings log = new HostWarnings();
    private final List<String> warnings = log.lines();

    @BeforeEach
    void capture() {
        log.attach();
    }

    @AfterEach
    void release() {
        log.detach();
    }

    @Test
    void eachInstanceHasItsPairSocketAndSlotAndTheEntryCountsThem() {
        h.service.apply(WEB2);

        GatewayVeth first = h.plumbing.links.get("xgw0-0");
        GatewayVeth second = h.plumbing.links.get("xgw0i1-0");
        assertEquals("xgw0i1-1", second.gatewayEnd());
        FakePlumbing.FakeRuntime r0 = h.runtime("web", 0);
        FakePlumbing.FakeRuntime r1 = h.runtime("web", 1);
        assertSame(first, r0.link);
        assertSame(second, r1.link);
        assertEquals(first.processorIfindex(), h.maps.tx(0, 0));
        assertEquals(second.processorIfindex(), h.maps.tx(0, 1));
        assertEquals(r0.fd, h.maps.xsk(0, 0));
        assertEquals(r1.fd, h.maps.xsk(0, 1));
        assertEquals(2, h.maps.gateways.get(0).instances());
        assertEquals(new Iface(Role.GATEWAY, 1, 0, second.gatewayMac()), h.maps.ifaces.get(second.gatewayIfindex()),
                "the gateway end of instance 1 delivers to instance 1's socket");
        assertEquals(first.gatewayMac(), second.gatewayMac(), "the kernel's entry holds one MAC pair for all");
        assertEquals(first.processorMac(), second.processorMac());
        assertEquals(h.maps.gateways.get(0).mac(), second.gatewayMac());

        GatewayStatus s = h.host.status("web").orElseThrow();
        assertEquals("running", s.state());
        assertEquals(List.of("xgw0-0", "xgw0-1", "xgw0i1-0", "xgw0i1-1"), s.interfaces());
        assertEquals(2, s.instances().size());
        assertEquals(List.of("xgw0i1-0", "xgw0i1-1"), s.instances().get(1).interfaces());
    }

    @Test
    void anInstanceThatDiesLeavesTheOthersServingAndComesBackOnItsPair() {
        h.service.apply(WEB2);
        FakePlumbing.FakeRuntime r0 = h.runtime("web", 0);
        FakePlumbing.FakeRuntime r1 = h.runtime("web", 1);
        r1.die(new IllegalStateException("boom"));

        h.run(HostHarness.SUPERVISION.interval());

        assertNull(h.maps.xsk(0, 1), "out of gw_xsks: the kernel gives it no new flow");
        assertEquals(r0.fd, h.maps.xsk(0, 0), "the other serves on");
        assertTrue(h.maps.up(0));
        assertFalse(r0.released);
        GatewayStatus s = h.host.status("web").orElseThrow();
        assertEquals("degraded", s.state());
        assertTrue(s.running());
        assertEquals("running", s.instances().get(0).state());
        assertEquals("restarting", s.instances().get(1).state());
        assertEquals("died", s.instances().get(1).lastRestartCause());
        assertNull(s.instances().get(0).lastRestartCause());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("gateway=web#1 cause=died")
                && warnings.get(0).contains("new flows go to the other instances"), warnings.get(0));

        h.run(Duration.ofMillis(100));

        FakePlumbing.FakeRuntime again = h.runtime("web", 1);
        assertNotSame(r1, again);
        assertSame(r1.link, again.link, "same pair");
        assertEquals(again.fd, h.maps.xsk(0, 1));
        assertSame(r0, h.runtime("web", 0), "instance 0 was never touched");
        assertEquals("running", h.host.status("web").orElseThrow().state());
    }

    @Test
    void allInstancesDownIsRestartingAndTheFailModeApplies() {
        h.service.apply(WEB2);
        h.runtime("web", 0).die(new IllegalStateException("boom"));
        h.runtime("web", 1).die(new IllegalStateException("boom"));

        h.run(HostHarness.SUPERVISION.interval());

        assertFalse(h.maps.up(0));
        assertEquals("restarting", h.host.status("web").orElseThrow().state());
        assertFalse(h.host.status("web").orElseThrow().running());
        assertTrue(warnings.stream().noneMatch(w -> w.contains("new flows go to the other instances")
                && w.contains("gateway=web#1")), "the last one down says nothing of others: " + warnings);
    }

    @Test
    void changingTheCountReplacesTheRuntimesAndLeavesNoSlotOfARemovedInstance() {
        h.service.apply(WEB2);
        FakePlumbing.FakeRuntime old0 = h.runtime("web", 0);

        h.service.apply(doc(instances(gw("web", "http", "198.18.255.1", "40000-40999"), 3)));
        assertTrue(old0.released, "another count: new runtimes");
        assertEquals(3, h.maps.gateways.get(0).instances());
        for (int i = 0; i < 3; i++) {
            assertEquals(h.runtime("web", i).fd, h.maps.xsk(0, i));
            assertEquals(h.runtime("web", i).link.processorIfindex(), h.maps.tx(0, i));
        }
        assertNotEquals(old0.link.slot(), h.runtime("web", 0).link.slot(), "a pair group of its own while both exist");
        assertFalse(h.plumbing.links.containsKey("xgw0-0"), "the old group's pairs are gone");

        h.service.apply(doc(gw("web", "http", "198.18.255.1", "40000-40999")));
        assertEquals(1, h.maps.gateways.get(0).instances());
        assertEquals(h.runtime("web", 0).fd, h.maps.xsk(0, 0));
        assertNull(h.maps.xsk(0, 1), "instance 1 of the old set is gone from gw_xsks");
        assertNull(h.maps.xsk(0, 2));
        assertNull(h.maps.tx(0, 1), "and from gw_tx");
        assertNull(h.maps.tx(0, 2));
        assertEquals(java.util.Set.of("xgw0-0"), h.plumbing.links.keySet(), "one pair, of the new single instance");
    }
}
