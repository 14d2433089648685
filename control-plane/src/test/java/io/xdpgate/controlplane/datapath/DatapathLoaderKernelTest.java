package io.xdpgate.controlplane.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Action;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Stats;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.BpfMap;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.bpf.Tc;
import io.xdpgate.datapath.bpf.TcAttachment;
import io.xdpgate.datapath.bpf.TcDirection;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.bpf.Xdp;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.Hook;
import io.xdpgate.datapath.tables.LoadTimeSettings;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.testing.Commands;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestNetwork;
import io.xdpgate.datapath.testing.TestObjects;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading, pinning, attaching, and taking over a previous run's maps so its connections survive. */
@KernelTest
class DatapathLoaderKernelTest {
    private static DatapathSettings xdpOn(String device, PinDir pins) {
        return settings(new InterfaceBinding(device, Role.EXTERNAL, HookChoice.XDP), pins, LoadTimeSettings.DEFAULTS);
    }

    private static DatapathSettings settings(InterfaceBinding binding, PinDir pins, LoadTimeSettings loadTime) {
        return new DatapathSettings(TestObjects.xdpgate(), null, pins.path(), List.of(binding), XdpMode.AUTO, 1024,
                1024, loadTime, HookChoice.XDP);
    }

    /**
     * auto puts a veth at tc ingress: the tc build runs there as xdpgate's own filter, over the
     * same maps; a restart replaces it in place (one filter, the new program), a change of the
     * setting to xdp moves it (never both), and a detach removes it.
     */
    @Test
    void aVethRunsTheTcBuildWhichARestartReplacesAndXdpMoves() throws Exception {
        try (TestNetwork net = new TestNetwork(); PinDir pins = new PinDir()) {
            String[] veth = net.veth("a", "b");
            int ifindex = NetDevice.ifindex(veth[0]);
            DatapathSettings auto = settings(new InterfaceBinding(veth[0], Role.EXTERNAL), pins,
                    LoadTimeSettings.DEFAULTS.withFibForward(true));
            TcAttachment filter = new TcAttachment(ifindex, TcDirection.INGRESS, Attachment.TC_HANDLE,
                    Attachment.TC_PRIORITY, 0);
            int firstProgram;
            try (LoadedDatapath first = DatapathLoader.load(auto)) {
                assertEquals(Hook.TC, first.attachments().get(0).hook());
                firstProgram = first.program(Hook.TC).id();
                assertEquals(firstProgram, Tc.query(filter).orElseThrow(), "the tc build is the filter");
                assertTrue(Xdp.query(ifindex).isEmpty(), "no XDP program on a veth at auto");
                assertEquals(ifindex, first.tables().fwdPorts().get(ifindex).orElseThrow(), "a forwarding egress");
                assertFalse(first.tables().ifaces().get(ifindex).orElseThrow().atXdp());
            }
            try (LoadedDatapath second = DatapathLoader.load(auto)) {
                int secondProgram = second.program(Hook.TC).id();
                assertTrue(secondProgram != firstProgram);
                assertEquals(secondProgram, Tc.query(filter).orElseThrow(), "replaced in place");
                String filters = Commands.run("tc", "filter", "show", "dev", veth[0], "ingress");
                assertEquals(1, filters.lines().filter(l -> l.contains("xdpgate_tc")).count(), filters);
            }
            try (LoadedDatapath moved = DatapathLoader.load(xdpOn(veth[0], pins))) {
                assertEquals(moved.program().id(), Xdp.query(ifindex).get(0).progId());
                assertTrue(Tc.query(filter).isEmpty(), "xdpgate left tc when the setting moved it to XDP");
                assertTrue(moved.tables().ifaces().get(ifindex).orElseThrow().atXdp());
                moved.detach(false);
            }
            assertTrue(Xdp.query(ifindex).isEmpty());
            try (LoadedDatapath again = DatapathLoader.load(auto)) {
                again.detach(false);
            }
            assertTrue(Tc.query(filter).isEmpty(), "detach removes the filter");
        }
    }
    @Test
    void aSecondRunTakesOverTheMapsAndTheirConnections() throws Exception {
        try (TestNetwork net = new TestNetwork(); PinDir pins = new PinDir()) {
            String[] veth = net.veth("a", "b");
            DatapathSettings settings = xdpOn(veth[0], pins);
            int ifindex = NetDevice.ifindex(veth[0]);
            Tuple flow = Tuple.of(InetAddress.getByName("198.18.1.2"), 40000, InetAddress.getByName("198.18.2.2"), 80, 6);

            try (LoadedDatapath first = DatapathLoader.load(settings)) {
                assertFalse(first.reusedMaps());
                assertTrue(Files.exists(pins.resolve(MapNames.CONNS)), "maps pinned");
                assertEquals(first.program().id(), Xdp.query(ifindex).get(0).progId());
                first.policy().apply(PolicyCompiler.compile(List.of(Rule.builder(1).tcp().ports("80").pass().build()),
                        Action.DROP));
                first.program().testRun(TestRunRequest.of(
                        new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(40000, 80).syn().build()));
                assertTrue(first.tables().conns().get(flow).isPresent());
            }
            assertEquals(1, Xdp.query(ifindex).size(), "closing the daemon's handles leaves the program attached");

            try (LoadedDatapath second = DatapathLoader.load(settings)) {
                assertTrue(second.reusedMaps());
                assertTrue(second.tables().conns().get(flow).isPresent(), "the connection survived the restart");
                assertEquals(second.program().id(), Xdp.query(ifindex).get(0).progId(), "the new program replaced the old");
                assertEquals(1, second.tables().counter(Stat.NEW_FLOW), "counters survive too");
                var ack = second.program().testRun(TestRunRequest.of(
                        new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(40000, 80).ack().build()));
                assertEquals(io.xdpgate.datapath.bpf.XdpAction.PASS, ack.xdpAction(), "the flow goes on");
                second.detach(false);
            }
            assertTrue(Xdp.query(ifindex).isEmpty());
        }
    }

    /**
     * An upgrade that changed a map's layout: the old pin cannot be reused, so it is replaced and
     * the daemon starts, keeping every compatible map (and its connections).
     */
    @Test
    void aPinnedMapOfAnotherLayoutIsReplacedAndTheOthersAreTakenOver() throws Exception {
        try (TestNetwork net = new TestNetwork(); PinDir pins = new PinDir()) {
            String[] veth = net.veth("a", "b");
            DatapathSettings settings = xdpOn(veth[0], pins);
            Tuple flow = Tuple.of(InetAddress.getByName("198.18.1.2"), 40000, InetAddress.getByName("198.18.2.2"), 80, 6);
            try (LoadedDatapath first = DatapathLoader.load(settings)) {
                first.policy().apply(PolicyCompiler.compile(List.of(Rule.builder(1).tcp().ports("80").pass().build()),
                        Action.DROP));
                first.program().testRun(TestRunRequest.of(
                        new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(40000, 80).syn().build()));
            }
            // what an older build's counters looked like: fewer of them
            Files.delete(pins.resolve(MapNames.STATS));
            Commands.run("bpftool", "map", "create", pins.resolve(MapNames.STATS).toString(), "type", "percpu_array",
                    "key", "4", "value", "64", "entries", "1", "name", "stats");

            try (LoadedDatapath second = DatapathLoader.load(settings)) {
                assertTrue(second.reusedMaps(), "the connection table was compatible and taken over");
                assertTrue(second.tables().conns().get(flow).isPresent(), "the connection survived");
                try (BpfMap stats = BpfMap.fromPinned(pins.resolve(MapNames.STATS))) {
                    assertEquals(Stats.LAYOUT.size(), stats.valueSize(), "a new stats map of this build's layout");
                }
                assertEquals(0, second.tables().counter(Stat.NEW_FLOW), "its counters start at zero");
                second.detach(false);
            }
        }
    }
}
