package io.xdpgate.controlplane.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Action;
import io.xdpgate.abi.Expect;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
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
import io.xdpgate.gateways.spi.Expectation;
import io.xdpgate.gateways.spi.Expectations;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The daemon's side of expectations against the real maps and program: granted into the expects
 * map with the asking flow's id and rule, used once by the packet processor, at most maxOpen
 * unused per flow, expired ones purged, and withdrawn with the flow that asked, without touching
 * another flow's.
 */
@KernelTest
class KernelExpectationsKernelTest {
    private static final MacAddr MAC = MacAddr.parse("02:00:00:00:00:aa");
    private static final InetSocketAddress CLIENT = new InetSocketAddress("198.18.1.2", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("198.18.2.2", 21);

    private static Expectation passive(int port) throws Exception {
        return new Expectation(Transport.TCP, InetAddress.getByName("198.18.1.2"), new InetSocketAddress("198.18.2.2", port),
                false, Duration.ofSeconds(30));
    }

    private static XdpAction syn(BpfProgram prog, int sport, int dport) {
        return prog.testRun(TestRunRequest.of(new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(sport, dport).syn()
                .build())).xdpAction();
    }

    @Test
    void grantedUsedOnceBoundedExpiredAndWithdrawnWithTheirFlow() throws Exception {
        try (BpfObject obj = BpfObject.open(TestObjects.xdpgate()).load()) {
            XdpgateTables tables = new XdpgateTables(obj::map);
            BpfProgram prog = obj.program(MapNames.PROGRAM);
            tables.ifaces().put(1, new Iface(Role.EXTERNAL, 0, MAC));
            new PolicyTables(tables).apply(PolicyCompiler.compile(List.of(Rule.builder(7).tcp().ports("21").pass().build()),
                    Action.DROP));
            assertEquals(XdpAction.PASS, syn(prog, 40000, 21), "the control connection, by rule 7");
            long id = tables.conns().entries().get(0).value().id();
            FlowContext flow = new FlowContext(id, CLIENT, SERVER);
            AtomicLong clock = new AtomicLong(System.nanoTime());
            KernelExpectations broker = new KernelExpectations(tables, 3, clock::get);
            Expectations mine = broker.open(flow);

            assertNull(mine.expect(passive(30000), 2));
            Expect e = tables.expects().entries().get(0).value();
            assertEquals(id, e.parentId(), "the asking flow");
            assertEquals(7, e.ruleId(), "attributed to the asking flow's rule");
            assertEquals(Action.PASS, e.action());
            assertNull(mine.expect(passive(30001), 2));
            assertEquals("this connection has 2 data connections expected already (maxDataChannels)",
                    mine.expect(passive(30002), 2));

            assertEquals(XdpAction.PASS, syn(prog, 50000, 30000), "admitted by its expectation, not the rules");
            assertEquals(XdpAction.DROP, syn(prog, 50001, 30000), "once");
            assertNull(mine.expect(passive(30002), 2), "the used one no longer counts");

            clock.addAndGet(Duration.ofSeconds(31).toNanos());
            assertNull(mine.expect(passive(30003), 2), "expired ones no longer count");
            assertEquals(1, tables.expects().keys().size(), "and are deleted");

            FlowContext other = new FlowContext(id + 1, new InetSocketAddress("198.18.1.2", 40001), SERVER);
            assertNull(broker.open(other).expect(passive(30004), 2));
            broker.withdraw(flow);
            assertEquals(1, tables.expects().keys().size(), "only the other flow's is left");
            assertEquals(id + 1, tables.expects().entries().get(0).value().parentId());
            assertEquals(XdpAction.DROP, syn(prog, 50002, 30003), "a withdrawn one admits nothing");
            broker.withdraw(other);
            assertTrue(tables.expects().keys().isEmpty());
        }
    }
}
