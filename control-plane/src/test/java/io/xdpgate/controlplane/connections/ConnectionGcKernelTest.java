package io.xdpgate.controlplane.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.SrcCount;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestObjects;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** GC against the real tables: idle and closed connections go, with their NAT slots; live ones stay. */
@KernelTest
class ConnectionGcKernelTest {
    private static final MacAddr MAC = MacAddr.parse("02:00:00:00:00:aa");

    @Test
    void removesIdleAndClosedConnectionsWithTheirNatSlots() throws Exception {
        try (BpfObject obj = BpfObject.open(TestObjects.xdpgate()).load()) {
            XdpgateTables tables = new XdpgateTables(obj::map);
            BpfProgram prog = obj.program(MapNames.PROGRAM);
            tables.ifaces().put(1, new Iface(Role.EXTERNAL, 0, MAC));
            tables.gateways().put(0, new Gateway(IpAddr.ZERO, IpAddr.ZERO,
                    IpAddr.of(InetAddress.getByName("198.18.100.1")).ipv4Bits(), 0, 40000, 100, 0, 0, 1, MAC, MAC,
                    Abi.XG_GW_F_ACTIVE));
            tables.gwTx().put(Gateway.slot(0, 0), 1);
            new PolicyTables(tables).apply(PolicyCompiler.compile(List.of(
                    Rule.builder(1).tcp().ports("80").redirect(0).build(),
                    Rule.builder(2).tcp().ports("22").pass().build(),
                    Rule.builder(3).udp().pass().build()), Action.DROP));

            send(prog, new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(1000, 80).syn().build(), XdpAction.REDIRECT);
            send(prog, new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(1001, 22).syn().build(), XdpAction.PASS);
            send(prog, new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(1002, 22).syn().seq(7).build(), XdpAction.PASS);
            send(prog, new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(1002, 22).rst().seq(8).build(), XdpAction.PASS);
            send(prog, new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").udp(1003, 53).payload("q").build(), XdpAction.PASS);
            assertEquals(4, tables.conns().keys().size());
            assertEquals(1, tables.natRev().keys().size());

            ConnectionTable table = new ConnectionTable(tables);
            AtomicLong clock = new AtomicLong(System.nanoTime());
            IdleTimeouts timeouts = new IdleTimeouts(Duration.ofSeconds(100), Duration.ofSeconds(30),
                    Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30));
            ConnectionGc gc = new ConnectionGc(table, timeouts, clock::get);

            // the GC's recount corrects what the kernel could not see, e.g. a count lost in a race
            tables.srcCounts().put(IpAddr.of(InetAddress.getByName("198.18.1.2")), new SrcCount(99, 99));
            assertEquals(0, gc.sweep(), "nothing is idle yet");
            assertEquals(new SrcCount(4, 1), tables.srcCounts().get(IpAddr.of(InetAddress.getByName("198.18.1.2"))).orElseThrow());
            clock.addAndGet(Duration.ofSeconds(11).toNanos());
            assertEquals(1, gc.sweep(), "the reset connection goes after 10 s");
            assertEquals(1, gc.removedClosed());
            clock.addAndGet(Duration.ofSeconds(20).toNanos());
            assertEquals(2, gc.sweep(), "the two half-open SYNs go after 30 s");
            assertEquals(0, tables.natRev().keys().size(), "the redirected flow's NAT slot went with it");
            clock.addAndGet(Duration.ofSeconds(30).toNanos());
            assertEquals(1, gc.sweep(), "UDP after 60 s");
            assertEquals(3, gc.removedIdle());
            assertTrue(tables.conns().keys().isEmpty());
            assertTrue(tables.srcCounts().keys().isEmpty(), "the recount leaves no source holding anything");

            send(prog, new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(1000, 80).syn().build(), XdpAction.REDIRECT);
            assertEquals(1, tables.natRev().keys().size(), "the pool port can be taken again");
        }
    }

    private static void send(BpfProgram prog, byte[] frame, XdpAction expected) {
        assertEquals(expected, prog.testRun(TestRunRequest.of(frame)).xdpAction());
    }
}
