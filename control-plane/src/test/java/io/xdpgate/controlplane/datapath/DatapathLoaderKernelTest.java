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
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.bpf.Xdp;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.Rule;
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
    @Test
    void aSecondRunTakesOverTheMapsAndTheirConnections() throws Exception {
        try (TestNetwork net = new TestNetwork(); PinDir pins = new PinDir()) {
            String[] veth = net.veth("a", "b");
            DatapathSettings settings = new DatapathSettings(TestObjects.xdpgate(), pins.path(),
                    List.of(new InterfaceBinding(veth[0], Role.EXTERNAL)), XdpMode.AUTO, 1024, 1024, LoadTimeSettings.DEFAULTS);
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
            DatapathSettings settings = new DatapathSettings(TestObjects.xdpgate(), pins.path(),
                    List.of(new InterfaceBinding(veth[0], Role.EXTERNAL)), XdpMode.AUTO, 1024, 1024, LoadTimeSettings.DEFAULTS);
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
