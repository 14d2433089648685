package io.xdpgate.controlplane.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Role;
import io.xdpgate.controlplane.gateway.GatewayVethNames;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.netlink.Link;
import io.xdpgate.datapath.tables.Hook;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconciler against a fake kernel: what is attached always follows the list of links. */
class LinkReconcilerTest {
    private static final PatternBinding VETH = new PatternBinding(new InterfacePattern("veth*"), Role.INTERNAL,
            HookChoice.AUTO);
    private static final PatternBinding CALI = new PatternBinding(new InterfacePattern("cali*"), Role.EXTERNAL,
            HookChoice.AUTO);

    /** Attachments by ifindex as a kernel would hold them, and the ifaces slots written. */
    private static final class FakeKernel implements LinkAttacher {
        final Map<Integer, String> attached = new LinkedHashMap<>();
        final Map<Integer, Role> slots = new LinkedHashMap<>();
        final Set<String> refuse = new HashSet<>();
        final List<String> calls = new ArrayList<>();
        boolean refuseDetach;

        @Override
        public Attachment attach(Link link, PatternBinding binding) {
            calls.add("attach " + link.name());
            if (refuse.contains(link.name())) {
                throw new IllegalStateException("interface " + link.name() + " has no Ethernet address");
            }
            attached.put(link.ifindex(), link.name());
            slots.put(link.ifindex(), binding.role());
            return new Attachment(link.name(), link.ifindex(), Hook.TC, XdpMode.AUTO, 42);
        }

        @Override
        public void detach(Attachment a, boolean gone) {
            calls.add("detach " + a.device() + (gone ? " gone" : ""));
            if (refuseDetach) {
                throw new IllegalStateException("tc filter delete: Operation not permitted");
            }
            attached.remove(a.ifindex());
            slots.remove(a.ifindex());
        }

        @Override
        public Attachment renamed(Attachment a, String name) {
            attached.put(a.ifindex(), name);
            return new Attachment(name, a.ifindex(), a.hook(), a.xdpMode(), a.programId());
        }
    }

    private final FakeKernel kernel = new FakeKernel();
    private final LinkReconciler reconciler = new LinkReconciler(List.of(VETH, CALI), Set.of("veth-uplink"),
            GatewayVethNames::isGatewayVeth, kernel, 3);

    @Test
    void attachesWhatThePatternsSelectAndLeavesTheRestAlone() {
        reconciler.reconcile(List.of(new Link(1, "lo"), new Link(2, "eth0"), new Link(5, "veth1a"),
                new Link(6, "cali77"), new Link(7, "dummy0")));
        assertEquals(Map.of(5, "veth1a", 6, "cali77"), kernel.attached);
        assertEquals(Map.of(5, Role.INTERNAL, 6, Role.EXTERNAL), kernel.slots, "each with its pattern's role");
        assertEquals(2, reconciler.attaches());
        assertEquals(List.of("veth1a", "cali77"), reconciler.selected().stream().map(s -> s.link().name()).toList());
    }

    @Test
    void theDaemonsGatewayVethsAndNamedInterfacesAreNeverSelected() {
        LinkReconciler all = new LinkReconciler(List.of(new PatternBinding(new InterfacePattern("*"), Role.INTERNAL,
                HookChoice.AUTO)), Set.of("eth0"), GatewayVethNames::isGatewayVeth, kernel, 3);
        all.reconcile(List.of(new Link(2, "eth0"), new Link(8, "xgw0-0"), new Link(9, "xgw3i1-1"), new Link(10, "vethx")));
        assertEquals(Map.of(10, "vethx"), kernel.attached);
        reconciler.reconcile(List.of(new Link(11, "veth-uplink")));
        assertFalse(kernel.attached.containsKey(11), "configured by name: attached at start, not by the pattern");
    }

    @Test
    void aLinkThatGoesIsDetachedAndItsSlotCleared() {
        reconciler.reconcile(List.of(new Link(5, "veth1a"), new Link(6, "veth2b")));
        reconciler.reconcile(List.of(new Link(6, "veth2b")));
        assertEquals(Map.of(6, "veth2b"), kernel.attached);
        assertEquals(Map.of(6, Role.INTERNAL), kernel.slots);
        assertTrue(kernel.calls.contains("detach veth1a gone"), kernel.calls.toString());
        assertEquals(1, reconciler.detaches());
    }

    @Test
    void renamedOutOfItsPatternIsDetachedWhileTheLinkStays() {
        reconciler.reconcile(List.of(new Link(5, "veth1a")));
        reconciler.reconcile(List.of(new Link(5, "eth7")));
        assertEquals(Map.of(), kernel.attached);
        assertTrue(kernel.calls.contains("detach veth1a"), "the program is taken off: " + kernel.calls);
    }

    @Test
    void renamedWithinItsPatternStaysAndIntoAnotherMovesToItsRole() {
        reconciler.reconcile(List.of(new Link(5, "veth1a")));
        reconciler.reconcile(List.of(new Link(5, "veth9z")));
        assertEquals(List.of("attach veth1a"), kernel.calls, "nothing to do");
        assertEquals("veth9z", reconciler.selected().get(0).link().name());
        reconciler.reconcile(List.of(new Link(5, "cali9z")));
        assertEquals(List.of("attach veth1a", "detach veth9z", "attach cali9z"), kernel.calls);
        assertEquals(Role.EXTERNAL, kernel.slots.get(5));
    }

    @Test
    void reCreatedUnderTheSameNameIsAttachedAgainAtItsNewIfindex() {
        reconciler.reconcile(List.of(new Link(5, "veth1a")));
        reconciler.reconcile(List.of(new Link(12, "veth1a")));
        assertEquals(Map.of(12, "veth1a"), kernel.attached);
        assertEquals(Map.of(12, Role.INTERNAL), kernel.slots, "the old slot cleared");
    }

    @Test
    void aFailingLinkIsRetriedABoundedNumberOfTimesAndTheOthersAreUnaffected() {
        kernel.refuse.add("veth-bad");
        List<Link> links = List.of(new Link(5, "veth-bad"), new Link(6, "veth-ok"));
        reconciler.reconcile(links);
        assertEquals(Map.of(6, "veth-ok"), kernel.attached);
        assertTrue(reconciler.hasRetries());
        for (int i = 0; i < 5; i++) {
            reconciler.reconcile(links);
        }
        assertEquals(3, kernel.calls.stream().filter("attach veth-bad"::equals).count(), "3 attempts, then left");
        assertEquals(3, reconciler.failures());
        assertFalse(reconciler.hasRetries());
        // re-created (a new ifindex): a new link, tried afresh
        kernel.refuse.clear();
        reconciler.reconcile(List.of(new Link(13, "veth-bad"), new Link(6, "veth-ok")));
        assertEquals(Map.of(6, "veth-ok", 13, "veth-bad"), kernel.attached);
    }

    @Test
    void aFailedDetachIsKeptAndTriedAgainNeverForgotten() {
        reconciler.reconcile(List.of(new Link(5, "veth1a")));
        kernel.refuseDetach = true;
        reconciler.reconcile(List.of(new Link(5, "eth7")));
        assertEquals(Map.of(5, "veth1a"), kernel.attached);
        assertTrue(reconciler.hasRetries());
        assertEquals(1, reconciler.selected().size(), "still listed as attached, as it is");
        kernel.refuseDetach = false;
        reconciler.reconcile(List.of(new Link(5, "eth7")));
        assertEquals(Map.of(), kernel.attached);
        assertFalse(reconciler.hasRetries());
    }

    /** Whatever events were missed, one pass over the full list brings the kernel to it. */
    @Test
    void aPassOverTheFullListRepairsWhateverWasMissed() {
        reconciler.reconcile(List.of(new Link(5, "veth1"), new Link(6, "veth2"), new Link(7, "veth3")));
        // many events lost: 5 and 6 went, 7 renamed out, 20-22 appeared
        reconciler.reconcile(List.of(new Link(7, "other7"), new Link(20, "veth20"), new Link(21, "cali21"),
                new Link(22, "eth22")));
        assertEquals(Map.of(20, "veth20", 21, "cali21"), kernel.attached);
        assertEquals(Map.of(20, Role.INTERNAL, 21, Role.EXTERNAL), kernel.slots);
    }
}
