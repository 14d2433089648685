package io.xdpgate.datapath.kernel;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.RingBuffer;
import io.xdpgate.datapath.bpf.TcAction;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.Hook;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.testing.TestNetwork;
import io.xdpgate.datapath.testing.TestObjects;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The packet processor loaded into this kernel for BPF_PROG_TEST_RUN: typed maps to set a case
 * up and inspect it, a runner for crafted frames, and the flow events the run produced.
 *
 * <p>Connections are bound to the interface their first packet came from, so each role has an
 * interface of its own: test runs from an external interface arrive on loopback (ifindex 1),
 * from an internal one and from a gateway veth on the two ends of a veth pair this datapath
 * creates (and removes on close). {@link #role} picks the interface of the following runs.
 */
final class Datapath implements AutoCloseable {
    /** The external side: loopback. Also the ifindex gateway descriptors name (data only). */
    static final int IFINDEX = 1;
    static final Hook HOOK = Hook.valueOf(System.getProperty("xdpgate.test.hook", "xdp").toUpperCase(Locale.ROOT));
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    static final MacAddr IFACE_MAC = MacAddr.parse("02:00:00:00:00:aa");
    static final MacAddr GW_MAC = MacAddr.parse("02:00:00:00:00:b1");
    static final MacAddr GW_LOCAL_MAC = MacAddr.parse("02:00:00:00:00:b0");
    /** Gateway ids the suites use; reset clears them. */
    private static final int GATEWAY_IDS = 4;

    private final BpfObject object;
    /** The tc object when {@link #HOOK} is tc, else null. */
    private final BpfObject tcObject;
    private final BpfProgram program;
    private final XdpgateTables tables;
    private final PolicyTables policy;
    private final RingBuffer ring;
    private final List<Event> events = new ArrayList<>();
    private final FixtureRecorder fixture;
    private final TestNetwork net;
    /** Ifindex of the interface a run arrives on, by role. */
    private final Map<Role, Integer> sides = new EnumMap<>(Role.class);
    private int ingress = IFINDEX;

    private Datapath(BpfObject object, BpfObject tcObject, TestNetwork net, boolean recorded) {
        this.object = object;
        this.tcObject = tcObject;
        this.net = net;
        int n = INSTANCES.incrementAndGet();
        String[] veth = net.veth("d" + n + "i", "d" + n + "g");
        sides.put(Role.EXTERNAL, IFINDEX);
        sides.put(Role.INTERNAL, NetDevice.ifindex(veth[0]));
        sides.put(Role.GATEWAY, NetDevice.ifindex(veth[1]));
        this.fixture = recorded ? FixtureRecorder.start(object, List.copyOf(sides.values())) : null;
        this.program = (tcObject != null ? tcObject : object).program(HOOK.program());
        this.tables = new XdpgateTables(object::map);
        this.policy = new PolicyTables(tables);
        this.ring = RingBuffer.open(tables.events(), buf -> events.add(Event.CODEC.decode(buf)));
    }

    static Datapath load() {
        return load(o -> { });
    }

    /**
     * Not recorded as a fixture: for cases of hundreds of thousands of runs (a fixture of them
     * would be gigabytes), whose behaviour smaller recorded cases already show on every kernel.
     */
    static Datapath loadUnrecorded() {
        return load(o -> { }, false);
    }

    /** Unrecorded, with a chance to configure the object first (load-time settings). */
    static Datapath loadUnrecorded(Consumer<BpfObject> beforeLoad) {
        return load(beforeLoad, false);
    }

    /** Loads with a chance to resize maps first (e.g. a tiny connection table). */
    static Datapath load(Consumer<BpfObject> beforeLoad) {
        return load(beforeLoad, true);
    }

    private static Datapath load(Consumer<BpfObject> beforeLoad, boolean recorded) {
        BpfObject object = BpfObject.open(TestObjects.xdpgate());
        BpfObject tc = null;
        TestNetwork net = new TestNetwork();
        try {
            beforeLoad.accept(object);
            object.load();
            if (HOOK == Hook.TC) {
                tc = BpfObject.open(TestObjects.xdpgate(Hook.TC)).shareStateWith(object).load();
            }
            return new Datapath(object, tc, net, recorded);
        } catch (RuntimeException e) {
            if (tc != null) {
                tc.close();
            }
            object.close();
            net.close();
            throw e;
        }
    }

    /** Live handles on every map: the test may write any of them. */
    XdpgateTables tables() {
        mayHaveWritten();
        return tables;
    }

    /** Back to a blank datapath: no connections, no expectations, no gateways, role external, no rules, default drop. */
    void reset() {
        mayHaveWritten();
        tables.conns().clear();
        tables.natRev().clear();
        tables.srcCounts().clear();
        tables.expects().clear();
        tables.pairs().clear();
        for (int slot : List.of(0, 1)) {
            tables.unrepliedCursor().put(slot, 0);
        }
        for (var slot : tables.unreplied().entries()) {
            if (slot.value().family() != 0) {
                tables.unreplied().put(slot.key(), Tuple.ZERO);
            }
        }
        sides.forEach((role, ifindex) -> tables.ifaces().put(ifindex, new Iface(role, 0, MacAddr.ZERO)));
        ingress = sides.get(Role.EXTERNAL);
        tables.fwdPorts().clear();
        for (int id = 0; id < GATEWAY_IDS; id++) {
            tables.gateways().put(id, gatewayOff());
            for (int inst = 0; inst < Abi.XG_MAX_INSTANCES; inst++) {
                tables.gwTx().remove(Gateway.slot(id, inst));
                tables.gwLoad().put(Gateway.slot(id, inst), 0);
            }
        }
        policy(Action.DROP);
        tables.resetCounters();
        events();
    }

    /** The following runs arrive on the interface of this role (for a gateway veth, of that gateway). */
    void role(Role role) {
        role(role, 0);
    }

    void role(Role role, int gatewayId) {
        mayHaveWritten();
        ingress = sides.get(role);
        tables.ifaces().put(ingress, new Iface(role, gatewayId, IFACE_MAC));
    }

    /** Ifindex of the interface runs from this role arrive on. */
    int ifindex(Role role) {
        return sides.get(role);
    }

    void policy(Action defaultAction, Rule... rules) {
        mayHaveWritten();
        policy.apply(PolicyCompiler.compile(List.of(rules), defaultAction));
    }

    PolicyTables policyTables() {
        mayHaveWritten();
        return policy;
    }

    /** Describes gateway {@code id} and points its devmap slot at a real device. */
    void gateway(int id, Gateway gateway) {
        mayHaveWritten();
        tables.gateways().put(id, gateway);
        tables.gwTx().put(Gateway.slot(id, 0), IFINDEX);
    }

    static Gateway gateway(String addr4, String addr6, int portBase, int portCount, int flags) {
        return new Gateway(addr6 == null ? IpAddr.ZERO : Addresses.ip(addr6), IpAddr.ZERO,
                addr4 == null ? 0 : Addresses.ip(addr4).ipv4Bits(), 0, portBase, portCount, 0, 0, IFINDEX,
                GW_MAC, GW_LOCAL_MAC, flags);
    }

    private static Gateway gatewayOff() {
        return new Gateway(IpAddr.ZERO, IpAddr.ZERO, 0, 0, 0, 0, 0, 0, 0, MacAddr.ZERO, MacAddr.ZERO, 0);
    }

    /** A run of the pipeline at {@link #HOOK}, arriving on the interface of the current role. */
    Run run(byte[] frame) {
        return run(program, frame);
    }

    /**
     * A run of the pipeline arriving on any device of the calling thread's namespace (a
     * {@link io.xdpgate.datapath.testing.NetnsThread}'s), for cases that need a namespace's routes:
     * unrecorded datapaths only, as the replay has no such namespace.
     */
    Run runOn(int ifindex, byte[] frame) {
        if (fixture != null) {
            throw new IllegalStateException("runs on other devices cannot be replayed: use loadUnrecorded");
        }
        int was = ingress;
        ingress = ifindex;
        try {
            return runOnce(program, frame);
        } finally {
            ingress = was;
        }
    }

    /**
     * A run of the program on a gateway veth's far end (xdpgate_xsk, always XDP): frames into the
     * instance's socket, with the metadata the gateway reads. Arrives on the current role's
     * interface (the gateway end names its gateway and instance in ifaces).
     */
    Run runXsk(byte[] frame) {
        return run(object.program(MapNames.XSK_PROGRAM), frame);
    }

    private Run run(BpfProgram prog, byte[] frame) {
        if (fixture == null) {
            return runOnce(prog, frame);
        }
        Run[] run = new Run[1];
        fixture.run(prog.name(), ingress, new byte[0], frame, () -> run[0] = runOnce(prog, frame));
        fixture.outcome(run[0].retval(), run[0].metadata(), run[0].packet());
        return run[0];
    }

    private Run runOnce(BpfProgram prog, byte[] frame) {
        var result = prog.testRun(TestRunRequest.of(frame).withIngressIfindex(ingress));
        XdpAction action = prog.isXdp() ? result.xdpAction() : inXdpWords(result.tcAction());
        return new Run(action, result.retval(), result.packet(), result.metadata());
    }

    private static XdpAction inXdpWords(TcAction tc) {
        if (tc == null) {
            return XdpAction.ABORTED;
        }
        return switch (tc) {
            case OK -> XdpAction.PASS;
            case SHOT -> XdpAction.DROP;
            case REDIRECT -> XdpAction.REDIRECT;
            default -> XdpAction.ABORTED; // the pipeline returns none of the others
        };
    }

    /** Tells the fixture recorder, if one runs, to read every map again before the next run. */
    private void mayHaveWritten() {
        if (fixture != null) {
            fixture.mayHaveWritten();
        }
    }

    long count(Stat stat) {
        return tables.counter(stat);
    }

    /** The events written since the last call. */
    List<Event> events() {
        ring.consume();
        List<Event> out = List.copyOf(events);
        events.clear();
        return out;
    }

    @Override
    public void close() {
        if (fixture != null) {
            fixture.close();
        }
        ring.close();
        if (tcObject != null) {
            tcObject.close();
        }
        object.close();
        net.close();
    }

    /** What one test run produced: the verdict (in XDP's words), the program's own return code. */
    record Run(XdpAction action, int retval, byte[] packet, byte[] metadata) {
        @Override
        public String toString() {
            return action + " " + packet.length + " bytes, " + metadata.length + " bytes of metadata";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Run r && r.action == action && Arrays.equals(r.packet, packet)
                    && Arrays.equals(r.metadata, metadata);
        }

        @Override
        public int hashCode() {
            return action.hashCode() * 31 + Arrays.hashCode(packet);
        }
    }
}
