package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY4;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.inet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Meta;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.datapath.policy.Rule;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gateway pools at production rates: a port whose connection ended is taken by the next one at
 * once, without the two ever being confused, and a gateway's instances share the flows by the
 * load they report.
 */
class PoolKernelTest extends DatapathSuite {
    private static final int GW = 0;
    private static final int POOL_BASE = 40000;

    @BeforeEach
    void redirectWeb() {
        dp.reset();
        dp.policy(Action.DROP, Rule.builder(1).tcp().ports("80").redirect(GW).build());
    }

    private static void pool(Datapath d, int ports, int instances) {
        Gateway one = Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, ports, Abi.XG_GW_F_ACTIVE);
        d.gateway(GW, new Gateway(one.addr6(), one.snatAddr6(), one.addr4(), one.snatAddr4(), one.portBase(),
                one.portCount(), 0, 0, one.ifindex(), one.mac(), one.localMac(), one.flags(), instances, 7));
        for (int i = 1; i < instances; i++) {
            d.tables().gwTx().put(Gateway.slot(GW, i), Datapath.IFINDEX);
        }
    }

    private static void pool(int ports, int instances) {
        pool(dp, ports, instances);
    }

    private static PacketBuilder client(int cport) {
        return new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(cport, 80);
    }

    private static PacketBuilder server(int cport) {
        return new PacketBuilder().ipv4(SERVER4, CLIENT4).tcp(80, cport);
    }

    private static XdpAction send(Datapath d, Role role, PacketBuilder b) {
        d.role(role, GW);
        return d.run(b.build()).action();
    }

    private static XdpAction send(Role role, PacketBuilder b) {
        return send(dp, role, b);
    }

    /**
     * A whole short connection from {@code cport} with initial sequence number {@code isn}:
     * handshake, a FIN from each side (time-wait). Returns its pool port.
     */
    private static int shortConnection(Datapath d, int cport, long isn) {
        d.role(Role.EXTERNAL, GW);
        var syn = d.run(client(cport).syn().seq(isn).build());
        assertEquals(XdpAction.REDIRECT, syn.action(), "SYN of client port " + cport);
        int port = PacketView.parse(syn.packet()).dstPort();
        assertEquals(XdpAction.REDIRECT, send(d, Role.INTERNAL, server(cport).syn().ack().seq(900).ackNumber(isn + 1)));
        assertEquals(XdpAction.REDIRECT, send(d, Role.EXTERNAL, client(cport).ack().fin().seq(isn + 1).ackNumber(901)));
        assertEquals(XdpAction.REDIRECT, send(d, Role.INTERNAL, server(cport).ack().fin().seq(901).ackNumber(isn + 2)));
        return port;
    }

    private static int shortConnection(int cport) {
        return shortConnection(dp, cport, 100);
    }

    /** Issue 11: a closed connection kept its pool port until the GC reaped it (10 s). */
    @Test
    void aHundredThousandShortConnectionsPassThroughAThousandPortPool() {
        try (Datapath big = Datapath.loadUnrecorded()) {
            big.reset();
            big.policy(Action.DROP, Rule.builder(1).tcp().ports("80").redirect(GW).build());
            pool(big, 1000, 1);
            Map<Integer, Integer> uses = new HashMap<>();
            for (int i = 0; i < 100_000; i++) {
                // client ports come round again: a later connection's sequence numbers are past
                uses.merge(shortConnection(big, 1024 + i % 60000, 1000L * i), 1, Integer::sum);
            }
            assertEquals(0, big.count(Stat.DROP), "no refusal");
            assertEquals(1000, uses.size(), "every port of the pool served");
            assertTrue(big.count(Stat.POOL_REUSE) >= 99_000, "ended connections' ports taken over: "
                    + big.count(Stat.POOL_REUSE));
            assertEquals(1000, big.tables().natRev().keys().size(), "one slot per port, none leaked");
        }
    }

    /**
     * One port, two connections: the second takes the port while the first lingers in time-wait.
     * The first's late frames, from either side, can never reach the second, and the gateway's
     * frames of the second are restored byte for byte to the second's tuple.
     */
    @Test
    void aPortTakenOverFromALingeringConnectionNeverMixesTheTwo() {
        pool(1, 1);
        int portA = shortConnection(41000);
        assertEquals(POOL_BASE, portA);
        var synB = send(Role.EXTERNAL, client(42000).syn().seq(5000));
        assertEquals(XdpAction.REDIRECT, synB, "the one port is reused at once");
        assertEquals(1, dp.count(Stat.POOL_REUSE));
        Tuple a = Tuple.of(inet(CLIENT4), 41000, inet(SERVER4), 80, 6);
        Tuple b = Tuple.of(inet(CLIENT4), 42000, inet(SERVER4), 80, 6);
        assertTrue(dp.tables().conns().get(a).isEmpty(), "the lingering entry went with its slot");
        Conn connB = dp.tables().conns().get(b).orElseThrow();
        assertEquals(POOL_BASE, connB.nat().dport());

        // the first connection's last ACK from its client: no connection any more
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, client(41000).ack().seq(102).ackNumber(902)));
        // a late frame of the first connection from the gateway: the NAT tuple is not the slot's now
        byte[] lateA = new PacketBuilder().ipv4(CLIENT4, GATEWAY4).tcp(41000, POOL_BASE).ack().seq(102)
                .ackNumber(902).build();
        dp.role(Role.GATEWAY, GW);
        assertEquals(XdpAction.DROP, dp.run(lateA).action());
        assertEquals(1, dp.count(Stat.DROP_GW_MISMATCH));
        // the second connection's frame from the gateway is restored to its own tuple, byte for byte
        byte[] fromGw = new PacketBuilder().ipv4(CLIENT4, GATEWAY4).tcp(42000, POOL_BASE).syn().seq(5000).build();
        var restored = dp.run(fromGw);
        assertEquals(XdpAction.PASS, restored.action());
        byte[] expected = new PacketBuilder().ipv4(CLIENT4, SERVER4).dstMac(Datapath.IFACE_MAC)
                .tcp(42000, 80).syn().seq(5000).build();
        assertArrayEquals(expected, restored.packet());
    }

    @Test
    void aNewSynInTimeWaitTakesTheTupleOnlyPastTheOldSequenceNumbers() {
        pool(10, 1);
        shortConnection(41000);
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, client(41000).syn().seq(50)),
                "before the old connection's sequence numbers: a late duplicate of its SYN");
        assertEquals(1, dp.count(Stat.DROP_TCP_WINDOW));
        assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, client(41000).syn().seq(100_000)), "past them: a new one");
    }

    // ---- instances

    @Test
    void newFlowsGoToTheLeastLoadedInstanceAndStayOnIt() {
        pool(100, 2);
        dp.tables().gwLoad().put(Gateway.slot(GW, 0), 50);
        dp.tables().gwLoad().put(Gateway.slot(GW, 1), 10);
        assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, client(41000).syn()));
        Tuple first = Tuple.of(inet(CLIENT4), 41000, inet(SERVER4), 80, 6);
        assertEquals(1, dp.tables().conns().get(first).orElseThrow().gwInst(), "the less loaded one");

        dp.tables().gwLoad().put(Gateway.slot(GW, 1), 90);
        assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, client(41001).syn()));
        assertEquals(0, dp.tables().conns().get(Tuple.of(inet(CLIENT4), 41001, inet(SERVER4), 80, 6))
                .orElseThrow().gwInst(), "now the other");
        assertEquals(XdpAction.REDIRECT, send(Role.INTERNAL, server(41000).syn().ack().seq(900).ackNumber(1)),
                "the first flow's reply");
        assertEquals(1, dp.tables().conns().get(first).orElseThrow().gwInst(), "stays on its instance");
    }

    @Test
    void aFlowOfAnInstanceAPolicyChangeTookAwayFollowsTheFailMode() {
        pool(100, 2);
        dp.tables().gwLoad().put(Gateway.slot(GW, 0), 5); // instance 1 is the less loaded
        dp.tables().gwLoad().put(Gateway.slot(GW, 1), 0);
        assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, client(41000).syn()));
        assertEquals(1, dp.tables().conns().get(Tuple.of(inet(CLIENT4), 41000, inet(SERVER4), 80, 6))
                .orElseThrow().gwInst());

        pool(100, 1); // the gateway now runs one instance; instance 1's slot still holds its old entry
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, client(41000).syn()), "fail closed, not to the old slot");
        assertEquals(1, dp.count(Stat.DROP_GW_DOWN));
        assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, client(41001).syn()), "new flows go to instance 0");
        assertEquals(0, dp.tables().conns().get(Tuple.of(inet(CLIENT4), 41001, inet(SERVER4), 80, 6))
                .orElseThrow().gwInst());
    }

    @Test
    void equallyLoadedInstancesBothGetFlows() {
        pool(100, 2);
        int[] per = new int[2];
        for (int i = 0; i < 10; i++) {
            assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, client(41000 + i).syn()));
            int inst = dp.tables().conns().get(Tuple.of(inet(CLIENT4), 41000 + i, inet(SERVER4), 80, 6))
                    .orElseThrow().gwInst();
            per[inst]++;
            // the runtime reports its open flows
            dp.tables().gwLoad().put(Gateway.slot(GW, inst), per[inst]);
        }
        assertEquals(5, per[0]);
        assertEquals(5, per[1]);
    }

    @Test
    void theGatewayEndOfAnInstanceVethDeliversToThatInstancesSlot() {
        pool(100, 2);
        dp.tables().gwLoad().put(Gateway.slot(GW, 0), 5); // instance 1 is the less loaded
        dp.tables().gwLoad().put(Gateway.slot(GW, 1), 0);
        dp.role(Role.EXTERNAL, GW);
        var redirected = dp.run(client(41000).syn().build());
        assertEquals(XdpAction.REDIRECT, redirected.action());
        Conn conn = dp.tables().conns().get(Tuple.of(inet(CLIENT4), 41000, inet(SERVER4), 80, 6)).orElseThrow();
        assertEquals(1, conn.gwInst());

        dp.role(Role.GATEWAY, GW);
        dp.tables().ifaces().put(dp.ifindex(Role.GATEWAY), new Iface(Role.GATEWAY, 1, GW, MacAddr.ZERO));
        var xsk = dp.runXsk(redirected.packet());
        assertEquals(XdpAction.DROP, xsk.action(), "instance 1 has no socket");
        assertEquals(1, dp.count(Stat.DROP_GW_DOWN));
        assertEquals(conn.id(), Meta.CODEC.fromBytes(xsk.metadata()).connId(), "the metadata names the connection");
    }

    @Test
    void aFrameAtTheGatewaySocketOfNoConnectionIsDropped() {
        pool(100, 1);
        dp.role(Role.GATEWAY, GW);
        var xsk = dp.runXsk(new PacketBuilder().ipv4(CLIENT4, GATEWAY4).tcp(41000, POOL_BASE).syn().build());
        assertEquals(XdpAction.DROP, xsk.action(), "the gateway could not place it");
        assertEquals(1, dp.count(Stat.DROP_META));
        assertEquals(0, xsk.metadata().length);
    }
}
