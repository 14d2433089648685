package io.xdpgate.controlplane.gateway;

import static io.xdpgate.controlplane.gateway.HostHarness.doc;
import static io.xdpgate.controlplane.gateway.HostHarness.gw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.Role;
import io.xdpgate.controlplane.policy.PolicyApplyException;
import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.datapath.policy.CompiledPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Policy transitions through the gateway host, without a kernel: what the gateway maps, the
 * runtimes and the pairs look like after adding, removing, keeping and replacing gateways, what
 * they looked like at the moment of the swap, and that a failure at any step leaves all of them
 * (and the policy in force, and the stored document) as they were.
 */
class GatewayTransitionTest {
    private static final PolicyDocument WEB = doc(gw("web", "http", "198.18.255.1", "40000-40999"));
    private static final PolicyDocument NONE = doc();

    private final HostHarness h = new HostHarness();

    private Gateway entry(int id) {
        return h.maps.gateways.get(id);
    }

    @Test
    void anAddedGatewayIsPreparedThenDescribedBeforeTheSwap() {
        List<String> atSwap = new ArrayList<>();
        h.kernel.onActivate = () -> atSwap.add("up=" + h.maps.up(0));
        h.service.apply(WEB);

        assertEquals(List.of("up=true"), atSwap, "a new id no old rule knows: fully described before the swap");
        GatewayVeth veth = h.plumbing.links.get("xgw0-0");
        FakePlumbing.FakeRuntime r = h.runtime("web");
        assertEquals(veth, r.link);
        assertEquals(Abi.XG_GW_F_ACTIVE | Abi.XG_GW_F_XSK, entry(0).flags());
        assertEquals(40000, entry(0).portBase());
        assertEquals(veth.processorIfindex(), entry(0).ifindex());
        assertEquals(veth.processorIfindex(), h.maps.tx.get(0));
        assertEquals(r.fd, h.maps.xsks.get(0));
        assertEquals(new Iface(Role.GATEWAY, 0, veth.processorMac()), h.maps.ifaces.get(veth.processorIfindex()));
        assertEquals(new Iface(Role.GATEWAY, 0, veth.gatewayMac()), h.maps.ifaces.get(veth.gatewayIfindex()));
        GatewayStatus s = h.host.status("web").orElseThrow();
        assertEquals("running", s.state());
        assertEquals(List.of("xgw0-0", "xgw0-1"), s.interfaces());
        assertEquals(Map.of("died", 0L, "stalled", 0L), s.restarts());
        assertEquals(WEB, h.service.current());
        assertEquals(WEB, h.storage.stored);
    }

    /** The lab's failure: a PUT without the gateway answered 500 (EINVAL deleting from ifaces) and left it half-removed. */
    @Test
    void aRemovedGatewayIsMarkedDownAfterTheSwapAndStoppedAfterThat() {
        h.service.apply(WEB);
        GatewayVeth veth = h.plumbing.links.get("xgw0-0");
        FakePlumbing.FakeRuntime r = h.runtime("web");
        List<String> atSwap = new ArrayList<>();
        h.kernel.onActivate = () -> atSwap.add("up=" + h.maps.up(0) + " stopped=" + r.released);

        h.service.apply(NONE);

        assertEquals(List.of("up=true stopped=false"), atSwap,
                "the old rules may still redirect until the swap: the gateway serves on until then");
        assertEquals(0, entry(0).flags(), "down, fail closed: its remaining flows are dropped");
        assertFalse(h.maps.up(0));
        assertFalse(h.maps.tx.containsKey(0));
        assertFalse(h.maps.xsks.containsKey(0));
        assertFalse(h.maps.ifaces.containsKey(veth.processorIfindex()), "ifaces zeroed (an array: never deleted)");
        assertFalse(h.maps.ifaces.containsKey(veth.gatewayIfindex()));
        assertTrue(r.released, "runtime stopped");
        assertTrue(h.plumbing.links.isEmpty(), "pair deleted");
        assertTrue(h.host.status("web").isEmpty());
        assertEquals(NONE, h.service.current());
        assertEquals(NONE, h.storage.stored);
    }

    @Test
    void aRemovedFailOpenGatewayKeepsItsFailMode() {
        h.service.apply(doc(gw("web", "http", "198.18.255.1", "40000-40999", "open", null)));
        h.service.apply(NONE);
        assertEquals(Abi.XG_GW_F_FAIL_OPEN, entry(0).flags(), "its remaining flows pass unredirected");
    }

    @Test
    void aChangedPoolKeepsTheRuntimeAndItsConnections() {
        h.service.apply(WEB);
        FakePlumbing.FakeRuntime r = h.runtime("web");
        GatewayVeth veth = r.link;
        PolicyDocument moved = doc(gw("web", "http", "198.18.255.1", "41000-41099", "open", Map.of("allowMethods", List.of("GET"))));

        h.service.apply(moved);

        assertSame(r, h.runtime("web"), "same runtime");
        assertEquals(Map.of("allowMethods", List.of("GET")), ((HostHarness.App) r.app).config(), "new connections get the new config");
        assertEquals(41000, entry(0).portBase());
        assertEquals(100, entry(0).portCount());
        assertEquals(Abi.XG_GW_F_ACTIVE | Abi.XG_GW_F_XSK | Abi.XG_GW_F_FAIL_OPEN, entry(0).flags());
        assertEquals(veth.processorIfindex(), entry(0).ifindex());
        assertEquals(r.fd, h.maps.xsks.get(0));
        assertEquals(List.of("xgw0-0"), List.copyOf(h.plumbing.links.keySet()));
    }

    @Test
    void anotherGatewayAtTheSameIdGetsAPairOfItsOwnAndTheIdIsDownAcrossTheSwap() {
        h.service.apply(WEB);
        FakePlumbing.FakeRuntime old = h.runtime("web");
        List<String> atSwap = new ArrayList<>();
        h.kernel.onActivate = () -> atSwap.add("up=" + h.maps.up(0) + " flags=" + entry(0).flags());

        h.service.apply(doc(gw("api", "http", "198.18.254.1", "42000-42099")));

        assertEquals(List.of("up=false flags=0"), atSwap, "neither policy's flows reach the other's gateway");
        FakePlumbing.FakeRuntime api = h.runtime("api");
        assertEquals("xgw1-0", api.link.processorEnd(), "xgw0 was still taken while the new one was prepared");
        assertTrue(old.released);
        assertEquals(List.of("xgw1-0"), List.copyOf(h.plumbing.links.keySet()));
        assertEquals(api.link.processorIfindex(), entry(0).ifindex());
        assertEquals(42000, entry(0).portBase());
        assertTrue(h.maps.up(0));
        assertEquals(api.fd, h.maps.xsks.get(0));
        assertEquals(api.link.processorIfindex(), h.maps.tx.get(0));
        assertFalse(h.maps.ifaces.containsKey(old.link.processorIfindex()));
        assertEquals(0, h.maps.ifaces.get(api.link.processorIfindex()).gwId());
        assertEquals(List.of("xgw1-0", "xgw1-1"), h.host.status("api").orElseThrow().interfaces());
    }

    @Test
    void aNewAddressIsANewRuntime() {
        h.service.apply(WEB);
        FakePlumbing.FakeRuntime old = h.runtime("web");
        h.service.apply(doc(gw("web", "http", "198.18.253.1", "40000-40999")));
        assertTrue(old.released);
        assertNotEquals(old, h.runtime("web"));
    }

    @Test
    void removingAddingAndChangingInOnePut() {
        h.service.apply(doc(gw("a", "http", "198.18.250.1", "40000-40099"), gw("b", "http", "198.18.251.1", "41000-41099")));
        FakePlumbing.FakeRuntime a = h.runtime("a");
        FakePlumbing.FakeRuntime b = h.runtime("b");

        // a: pool changed (kept); b: removed, its id 1 now c; d: added at id 2
        h.service.apply(doc(gw("a", "http", "198.18.250.1", "40100-40199"), gw("c", "http", "198.18.252.1", "42000-42099"),
                gw("d", "http", "198.18.253.1", "43000-43099")));

        assertSame(a, h.runtime("a"));
        assertEquals(40100, entry(0).portBase());
        assertTrue(b.released);
        FakePlumbing.FakeRuntime c = h.runtime("c");
        FakePlumbing.FakeRuntime d = h.runtime("d");
        assertEquals(c.fd, h.maps.xsk(1, 0));
        assertEquals(42000, entry(1).portBase());
        assertEquals(d.fd, h.maps.xsk(2, 0));
        assertEquals(43000, entry(2).portBase());
        for (int id = 0; id < 3; id++) {
            assertTrue(h.maps.up(id), "gateway " + id);
        }
        assertEquals(3, h.plumbing.links.size());
        assertEquals(List.of("a", "c", "d"), h.host.hostedNames());

        // and back to nothing
        h.service.apply(NONE);
        assertTrue(h.plumbing.links.isEmpty());
        assertTrue(h.maps.xsks.isEmpty());
        assertTrue(h.maps.tx.isEmpty());
        assertTrue(h.maps.ifaces.isEmpty());
        for (int id = 0; id < 3; id++) {
            assertFalse(h.maps.up(id), "gateway " + id);
        }
        assertTrue(h.plumbing.runtimes.stream().allMatch(r -> r.released));
    }

    @Test
    void aProtocolWithoutAFactoryIsTheDocumentsFaultAndTouchesNothing() {
        h.service.apply(WEB);
        String before = h.maps.state();
        var e = assertThrows(PolicyRejectedException.class, () -> h.service.apply(doc(
                gw("web", "http", "198.18.255.1", "40000-40999"), gw("mail", "smtp", "198.18.254.1", "44000-44099"))));
        assertEquals(List.of(new Violation("/gateways/1/protocol", "no gateway here speaks \"smtp\": this daemon has http")),
                e.violations());
        assertEquals(before, h.maps.state());
        assertEquals(WEB, h.service.current());
        assertEquals(List.of("web"), h.host.hostedNames());
    }

    @Test
    void aBadGatewayConfigIsTheDocumentsFaultAndTouchesNothing() {
        h.service.apply(WEB);
        String before = h.maps.state();
        var e = assertThrows(PolicyRejectedException.class,
                () -> h.service.apply(doc(gw("web", "http", "198.18.255.1", "40000-40999", null, Map.of("bad", 1)))));
        assertEquals("/gateways/0/config", e.violations().get(0).path());
        var npe = assertThrows(PolicyRejectedException.class,
                () -> h.service.apply(doc(gw("web", "http", "198.18.255.1", "40000-40999", null, Map.of("npe", 1)))));
        assertEquals("not a configuration the http gateway accepts", npe.violations().get(0).reason(),
                "an exception that is not the factory's verdict is not shown to the client");
        assertEquals(before, h.maps.state());
        assertEquals(WEB, h.service.current());
    }

    /** id 0 replaced by "api", id 1 by "other", id 2 added. */
    private static final PolicyDocument GROW = doc(gw("api", "http", "198.18.254.1", "42000-42099"),
            gw("other", "http", "198.18.252.1", "43000-43099"), gw("new", "http", "198.18.253.1", "44000-44099"));
    /** id 0 replaced by "api", id 1 removed. */
    private static final PolicyDocument SHRINK = doc(gw("api", "http", "198.18.254.1", "42000-42099"));

    /** A failure at every step of the transaction, from a policy with "web" and "old" to one that replaces, removes or adds. */
    static Stream<Arguments> failures() {
        List<Arguments> out = new ArrayList<>();
        for (PolicyDocument after : List.of(GROW, SHRINK)) {
            String to = after == GROW ? " (replace, add)" : " (replace, remove)";
            out.add(Arguments.of("a pair cannot be made" + to, after, (Consumer<HostHarness>) x -> x.plumbing.failLinks = true));
            out.add(Arguments.of("a runtime cannot start" + to, after, (Consumer<HostHarness>) x -> x.plumbing.failStarts = true));
            out.add(Arguments.of("the inactive generation cannot be written" + to, after,
                    (Consumer<HostHarness>) x -> x.kernel.failStage = true));
            out.add(Arguments.of("taking the replaced id down fails" + to, after,
                    (Consumer<HostHarness>) x -> x.maps.failOnce(w -> w.equals("putGateway 0"))));
            out.add(Arguments.of("the swap fails" + to, after, (Consumer<HostHarness>) x -> x.kernel.failActivate = true));
            out.add(Arguments.of("registering the replacing socket after the swap fails" + to, after,
                    (Consumer<HostHarness>) x -> x.maps.failOnce(w -> w.equals("putXsk 0"))));
            out.add(Arguments.of("describing id 1 after the swap fails" + to, after,
                    (Consumer<HostHarness>) x -> x.maps.failOnce(w -> w.equals("putGateway 1") && x.kernel.activations.size() > 1)));
            out.add(Arguments.of("the state file cannot be written" + to, after, (Consumer<HostHarness>) x -> x.storage.failSave = true));
        }
        out.add(Arguments.of("registering the added socket fails", GROW,
                (Consumer<HostHarness>) x -> x.maps.failOnce(w -> w.equals("putXsk 2"))));
        out.add(Arguments.of("describing the added gateway fails", GROW,
                (Consumer<HostHarness>) x -> x.maps.failOnce(w -> w.equals("putGateway 2"))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailureAnywhereLeavesEverythingAsItWas(String what, PolicyDocument after, Consumer<HostHarness> breakIt) {
        PolicyDocument before = doc(gw("web", "http", "198.18.255.1", "40000-40999"), gw("old", "http", "198.18.251.1", "41000-41099"));
        h.service.apply(before);
        String maps = h.maps.state();
        CompiledPolicy classifying = h.kernel.classifying();
        FakePlumbing.FakeRuntime web = h.runtime("web");
        FakePlumbing.FakeRuntime old = h.runtime("old");
        List<String> links = List.copyOf(h.plumbing.links.keySet());

        breakIt.accept(h);
        var e = assertThrows(PolicyApplyException.class, () -> h.service.apply(after));

        assertTrue(e.rolledBack(), what);
        assertEquals(maps, h.maps.state(), what + ": gateway maps as before");
        assertSame(classifying, h.kernel.classifying(), what + ": old policy classifying");
        assertEquals(before, h.service.current());
        assertEquals(before, h.storage.stored);
        assertFalse(web.released || web.stopRequested, "the old gateways never stopped");
        assertFalse(old.released || old.stopRequested);
        assertEquals(links, List.copyOf(h.plumbing.links.keySet()), what + ": prepared pairs deleted");
        assertTrue(h.plumbing.runtimes.stream().filter(r -> r != web && r != old).allMatch(r -> r.released),
                what + ": prepared runtimes stopped");
        assertEquals("running", h.host.status("web").orElseThrow().state());

        // and the same document goes through once the node is well again
        h.plumbing.failLinks = false;
        h.plumbing.failStarts = false;
        h.kernel.failStage = false;
        h.kernel.failActivate = false;
        h.maps.failing = w -> false;
        h.storage.failSave = false;
        h.service.apply(after);
        assertEquals(after == GROW ? List.of("api", "other", "new") : List.of("api"), h.host.hostedNames());
        assertTrue(web.released && old.released);
    }

    @Test
    void theHostsLockIsFreeAfterEveryOutcome() throws Exception {
        h.service.apply(WEB);
        h.storage.failSave = true;
        assertThrows(PolicyApplyException.class, () -> h.service.apply(NONE));
        assertThrows(PolicyRejectedException.class,
                () -> h.service.apply(doc(gw("web", "http", "198.18.255.1", "40000-40999", null, Map.of("bad", 1)))));
        Thread other = new Thread(h.host::supervise);
        other.start();
        other.join(2_000);
        assertFalse(other.isAlive(), "another thread can take the host's lock");
    }
}
