package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.CLIENT6;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY4;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.SERVER6;
import static io.xdpgate.datapath.kernel.Addresses.SNAT4;
import static io.xdpgate.datapath.kernel.Addresses.inet;
import static io.xdpgate.datapath.kernel.Addresses.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.abi.Abi;
import io.xdpgate.datapath.abi.Conn;
import io.xdpgate.datapath.abi.Event;
import io.xdpgate.datapath.abi.EventType;
import io.xdpgate.datapath.abi.Gateway;
import io.xdpgate.datapath.abi.IpAddr;
import io.xdpgate.datapath.abi.Meta;
import io.xdpgate.datapath.abi.NatKey;
import io.xdpgate.datapath.abi.Role;
import io.xdpgate.datapath.abi.Stat;
import io.xdpgate.datapath.abi.TcpState;
import io.xdpgate.datapath.abi.Tuple;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.Checksum;
import io.xdpgate.datapath.packet.ChecksumStatus;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.policy.RuleAction;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Redirect NAT: the rewrite towards the gateway with checksums checked by an independent oracle,
 * the metadata, unique pool ports, pool exhaustion, source NAT, the byte-exact restore of what
 * comes back from the gateway, loop prevention, fail modes and full tables.
 */
class NatKernelTest extends DatapathSuite {
    private static final int GW = 0;
    private static final int POOL_BASE = 40000;
    private static final int CPORT = 42000;


    @BeforeEach
    void redirectWebAndDns() {
        dp.reset();
        gateway(1000, Abi.XG_GW_F_ACTIVE);
        redirectPolicy(dp);
    }

    private static void redirectPolicy(Datapath d) {
        d.policy(RuleAction.DROP,
                Rule.builder(20).tcp().ports("80").redirect(GW).build(),
                Rule.builder(21).udp().ports("53").redirect(GW).build());
    }

    private static void gateway(int poolSize, int flags) {
        dp.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, poolSize, flags));
    }

    /** A flow of a case: how to build its packets each way. */
    record Flow(String name, String client, String server, int proto, boolean udpChecksum) {
        PacketBuilder l3(boolean fromClient) {
            String src = fromClient ? client : server;
            String dst = fromClient ? server : client;
            return client.contains(":") ? new PacketBuilder().ipv6(src, dst) : new PacketBuilder().ipv4(src, dst);
        }

        byte[] fromClient(int cport) {
            PacketBuilder b = l3(true);
            return proto == 6 ? b.tcp(cport, 80).syn().seq(7).build() : udp(b.udp(cport, 53).payload("query"));
        }

        byte[] fromServer(int cport) {
            PacketBuilder b = l3(false);
            return proto == 6 ? b.tcp(80, cport).syn().ack().seq(90).ackNumber(8).build()
                    : udp(b.udp(53, cport).payload("answer!"));
        }

        private byte[] udp(PacketBuilder b) {
            return udpChecksum ? b.build() : b.l4Checksum(0).build();
        }

        int serverPort() {
            return proto == 6 ? 80 : 53;
        }

        String gatewayAddress() {
            return client.contains(":") ? GATEWAY6 : GATEWAY4;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Flow> flows() {
        return Stream.of(
                new Flow("TCP/IPv4", CLIENT4, SERVER4, 6, true),
                new Flow("TCP/IPv6", CLIENT6, SERVER6, 6, true),
                new Flow("UDP/IPv4", CLIENT4, SERVER4, 17, true),
                new Flow("UDP/IPv4 without checksum", CLIENT4, SERVER4, 17, false),
                new Flow("UDP/IPv6", CLIENT6, SERVER6, 17, true));
    }

    private static Datapath.Run send(Role role, byte[] frame) {
        dp.role(role, GW);
        return dp.run(frame);
    }

    private static void assertChecksums(Flow f, byte[] frame) {
        var report = Checksum.verify(frame);
        if (f.udpChecksum()) {
            assertTrue(report.allCorrect(), f + ": " + report);
        } else {
            assertEquals(ChecksumStatus.ABSENT, report.l4().status(), f + ": a UDP datagram without checksum stays so");
            assertEquals(ChecksumStatus.CORRECT, report.ipv4Header().status(), f + ": " + report);
        }
    }

    /** Everything after the Ethernet header. */
    private static byte[] l3(byte[] frame) {
        return Arrays.copyOfRange(frame, 14, frame.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void redirectsTheOriginalDirectionToTheGateway(Flow f) {
        byte[] in = f.fromClient(CPORT);
        var run = send(Role.EXTERNAL, in);
        assertEquals(XdpAction.REDIRECT, run.action());

        PacketView out = PacketView.parse(run.packet());
        assertEquals(inet(f.gatewayAddress()), out.dstAddress());
        int gwPort = out.dstPort();
        assertTrue(gwPort >= POOL_BASE && gwPort < POOL_BASE + 1000, "port " + gwPort + " from the pool");
        assertEquals(inet(f.client()), out.srcAddress(), "the client stays visible to the gateway");
        assertEquals(CPORT, out.srcPort());
        assertChecksums(f, run.packet());
        assertEquals(Datapath.GW_MAC, io.xdpgate.datapath.abi.MacAddr.of(out.dstMac().bytes()));
        assertEquals(Datapath.GW_LOCAL_MAC, io.xdpgate.datapath.abi.MacAddr.of(out.srcMac().bytes()));

        Tuple orig = Tuple.of(inet(f.client()), CPORT, inet(f.server()), f.serverPort(), f.proto());
        Conn conn = dp.tables().conns().get(orig).orElseThrow();
        Tuple nat = Tuple.of(inet(f.client()), CPORT, inet(f.gatewayAddress()), gwPort, f.proto());
        assertEquals(nat, conn.nat());
        assertEquals(orig, dp.tables().natRev().get(new NatKey(GW, gwPort, 0, f.proto())).orElseThrow());

        Meta meta = Meta.CODEC.fromBytes(run.metadata());
        assertEquals(Meta.of(conn.id(), ip(f.server()), f.serverPort(), Abi.XG_DIR_ORIG, 0), meta);

        assertEquals(1, dp.count(Stat.REDIRECT));
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        Event ev = dp.events().get(0);
        assertEquals(EventType.REDIRECT, ev.type());
        assertEquals(orig, ev.orig());
        assertEquals(nat, ev.nat());
        assertEquals(conn.id(), ev.connId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void redirectsRepliesFromTheGatewaysAddress(Flow f) {
        int gwPort = PacketView.parse(send(Role.EXTERNAL, f.fromClient(CPORT)).packet()).dstPort();
        var run = send(Role.INTERNAL, f.fromServer(CPORT));
        assertEquals(XdpAction.REDIRECT, run.action());
        PacketView out = PacketView.parse(run.packet());
        assertEquals(inet(f.gatewayAddress()), out.srcAddress());
        assertEquals(gwPort, out.srcPort());
        assertEquals(inet(f.client()), out.dstAddress());
        assertEquals(CPORT, out.dstPort());
        assertChecksums(f, run.packet());
        Meta meta = Meta.CODEC.fromBytes(run.metadata());
        assertEquals(Abi.XG_DIR_REPLY, meta.dir());
        assertEquals(ip(f.server()), meta.origAddr());
        assertEquals(f.serverPort(), meta.origPort());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void restoresWhatComesBackFromTheGatewayByteForByte(Flow f) {
        byte[] request = f.fromClient(CPORT);
        byte[] natRequest = send(Role.EXTERNAL, request).packet();
        var restored = send(Role.GATEWAY, natRequest);
        assertEquals(XdpAction.PASS, restored.action());
        assertArrayEquals(l3(request), l3(restored.packet()), "client -> server restored exactly");
        assertEquals(Datapath.IFACE_MAC, io.xdpgate.datapath.abi.MacAddr.of(
                PacketView.parse(restored.packet()).dstMac().bytes()), "addressed to the veth so the stack takes it");
        assertEquals(0, restored.metadata().length);

        byte[] reply = f.fromServer(CPORT);
        byte[] natReply = send(Role.INTERNAL, reply).packet();
        var restoredReply = send(Role.GATEWAY, natReply);
        assertEquals(XdpAction.PASS, restoredReply.action());
        assertArrayEquals(l3(reply), l3(restoredReply.packet()), "server -> client restored exactly");
        assertEquals(2, dp.count(Stat.GW_RESTORED));
        assertEquals(0, dp.count(Stat.DROP));
    }

    @Test
    void everyConnectionGetsItsOwnPoolPort() {
        Set<Integer> ports = new HashSet<>();
        Flow f = flows().findFirst().orElseThrow();
        for (int i = 0; i < 1000; i++) {
            var run = send(Role.EXTERNAL, f.fromClient(10000 + i));
            assertEquals(XdpAction.REDIRECT, run.action(), "connection " + i);
            int port = PacketView.parse(run.packet()).dstPort();
            assertTrue(port >= POOL_BASE && port < POOL_BASE + 1000, "port " + port);
            ports.add(port);
        }
        assertEquals(1000, ports.size(), "1,000 connections, 1,000 distinct ports");
        assertEquals(1000, dp.tables().natRev().keys().size());
    }

    @Test
    void anExhaustedPoolRefusesTheNewFlowAndAFreedPortIsReused() {
        gateway(4, Abi.XG_GW_F_ACTIVE);
        Flow f = flows().findFirst().orElseThrow();
        for (int i = 0; i < 4; i++) {
            assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, f.fromClient(10000 + i)).action());
        }
        dp.events();
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, f.fromClient(10004)).action());
        assertEquals(1, dp.count(Stat.DROP_POOL_EXHAUSTED));
        Event refused = dp.events().get(0);
        assertEquals(EventType.DROP, refused.type());
        assertEquals(Stat.DROP_POOL_EXHAUSTED, refused.reason());

        // what GC does to a finished connection: the entry and its NAT slot go together
        Tuple first = Tuple.of(inet(CLIENT4), 10000, inet(SERVER4), 80, 6);
        Conn gone = dp.tables().conns().get(first).orElseThrow();
        dp.tables().conns().remove(first);
        dp.tables().natRev().remove(new NatKey(GW, gone.nat().dport(), 0, 6));
        var again = send(Role.EXTERNAL, f.fromClient(10005));
        assertEquals(XdpAction.REDIRECT, again.action());
        assertEquals(gone.nat().dport(), PacketView.parse(again.packet()).dstPort(), "the freed port");
    }

    @Test
    void sourceNatMakesPortPairsUniqueAndRestoresTheClient() {
        dp.gateway(GW, new Gateway(ip(GATEWAY6), IpAddr.ZERO, ip(GATEWAY4).ipv4Bits(), ip(SNAT4).ipv4Bits(),
                POOL_BASE, 2, 50000, 2, Datapath.IFINDEX, Datapath.GW_MAC, Datapath.GW_LOCAL_MAC, Abi.XG_GW_F_ACTIVE));
        Flow f = flows().findFirst().orElseThrow();
        Set<List<Integer>> pairs = new HashSet<>();
        byte[] firstRequest = null;
        byte[] firstNat = null;
        for (int i = 0; i < 4; i++) {
            byte[] in = f.fromClient(10000 + i);
            var run = send(Role.EXTERNAL, in);
            assertEquals(XdpAction.REDIRECT, run.action(), "connection " + i);
            PacketView out = PacketView.parse(run.packet());
            assertEquals(inet(SNAT4), out.srcAddress(), "the client is hidden behind the firewall's address");
            assertTrue(out.srcPort() >= 50000 && out.srcPort() < 50002);
            assertTrue(Checksum.verify(run.packet()).allCorrect());
            assertTrue(Meta.CODEC.fromBytes(run.metadata()).hasFlag(Abi.XG_META_F_SNAT));
            pairs.add(List.of(out.srcPort(), out.dstPort()));
            if (i == 0) {
                firstRequest = in;
                firstNat = run.packet();
            }
        }
        assertEquals(4, pairs.size(), "2 x 2 pools: 4 distinct (source port, gateway port) pairs");
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, f.fromClient(10004)).action());
        assertEquals(1, dp.count(Stat.DROP_POOL_EXHAUSTED));

        var restored = send(Role.GATEWAY, firstNat);
        assertEquals(XdpAction.PASS, restored.action());
        assertArrayEquals(l3(firstRequest), l3(restored.packet()), "the original client tuple comes back");
    }

    @Test
    void packetsFromTheGatewayAreNeverClassifiedOrRedirectedAgain() {
        Flow f = flows().findFirst().orElseThrow();
        var fromGw = send(Role.GATEWAY, f.fromClient(CPORT));
        assertEquals(XdpAction.DROP, fromGw.action(), "matches the redirect rule, but comes from the gateway");
        assertEquals(1, dp.count(Stat.DROP_GW_UNKNOWN));
        assertEquals(0, dp.count(Stat.REDIRECT));

        byte[] nat = send(Role.EXTERNAL, f.fromClient(CPORT)).packet();
        PacketView v = PacketView.parse(nat);
        byte[] spoofed = new PacketBuilder().ipv4(CLIENT4, GATEWAY4).tcp(CPORT + 1, v.dstPort()).syn().seq(7).build();
        assertEquals(XdpAction.DROP, send(Role.GATEWAY, spoofed).action(), "right gateway port, other client port");
        assertEquals(1, dp.count(Stat.DROP_GW_MISMATCH));
        byte[] unknown = new PacketBuilder().ipv4(CLIENT4, GATEWAY4).tcp(CPORT, 39999).syn().build();
        assertEquals(XdpAction.DROP, send(Role.GATEWAY, unknown).action(), "a port no connection holds");
        assertEquals(2, dp.count(Stat.DROP_GW_UNKNOWN));
        assertEquals(XdpAction.PASS, send(Role.GATEWAY, nat).action());
        assertEquals(1, dp.count(Stat.REDIRECT), "only the one redirect from the external side");
    }

    @Test
    void aResetFromTheGatewayClosesTheConnection() {
        Flow f = flows().findFirst().orElseThrow();
        int gwPort = PacketView.parse(send(Role.EXTERNAL, f.fromClient(CPORT)).packet()).dstPort();
        byte[] rst = new PacketBuilder().ipv4(GATEWAY4, CLIENT4).tcp(gwPort, CPORT).rst().build();
        assertEquals(XdpAction.PASS, send(Role.GATEWAY, rst).action());
        Tuple orig = Tuple.of(inet(CLIENT4), CPORT, inet(SERVER4), 80, 6);
        assertEquals(TcpState.CLOSED, dp.tables().conns().get(orig).orElseThrow().tcpState());
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL,
                new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(CPORT, 80).ack().payload("x").build()).action());
        assertEquals(1, dp.count(Stat.DROP_TCP_CLOSED));
    }

    @Test
    void failClosedDropsAndFailOpenPassesUntouched() {
        Flow f = flows().findFirst().orElseThrow();
        gateway(1000, 0);
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, f.fromClient(CPORT)).action());
        assertEquals(1, dp.count(Stat.DROP_GW_DOWN));

        gateway(1000, Abi.XG_GW_F_FAIL_OPEN);
        byte[] in = f.fromClient(CPORT + 1);
        var run = send(Role.EXTERNAL, in);
        assertEquals(XdpAction.PASS, run.action());
        assertArrayEquals(in, run.packet(), "not rewritten");
        assertEquals(1, dp.count(Stat.GW_BYPASS));
    }

    /** Loads a separate datapath whose named table holds only two entries. */
    private static void assertThirdFlowRefused(String map, Stat reason) {
        try (Datapath small = Datapath.load(o -> o.setMaxEntries(map, 2))) {
            small.reset();
            small.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, 1000, Abi.XG_GW_F_ACTIVE));
            redirectPolicy(small);
            IntFunction<byte[]> syn = p -> new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(p, 80).syn().build();
            assertEquals(XdpAction.REDIRECT, small.run(syn.apply(1)).action());
            assertEquals(XdpAction.REDIRECT, small.run(syn.apply(2)).action());
            assertEquals(XdpAction.DROP, small.run(syn.apply(3)).action());
            assertEquals(1, small.count(reason), map + " full");
            assertEquals(2, small.tables().conns().keys().size());
            assertEquals(2, small.tables().natRev().keys().size(), "no NAT slot left behind");
            assertEquals(reason, small.events().stream().filter(e -> e.type() == EventType.DROP)
                    .findFirst().orElseThrow().reason());
        }
    }

    @Test
    void aFullConnectionTableRefusesCleanly() {
        assertThirdFlowRefused("conns", Stat.DROP_CONN_FULL);
    }

    @Test
    void aFullNatTableRefusesCleanly() {
        assertThirdFlowRefused("nat_rev", Stat.DROP_NAT_FULL);
    }
}
