package io.xdpgate.datapath.kernel;

import io.xdpgate.datapath.packet.ChecksumVerifier;
import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.CLIENT6;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY4;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.SERVER6;
import static io.xdpgate.datapath.kernel.Addresses.SNAT4;
import static io.xdpgate.datapath.kernel.Addresses.SNAT6;
import static io.xdpgate.datapath.kernel.Addresses.inet;
import static io.xdpgate.datapath.kernel.Addresses.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Meta;
import io.xdpgate.abi.NatKey;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.TcpState;
import io.xdpgate.abi.TcpWindow;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.map.TypedMap;
import io.xdpgate.abi.Checksum;
import io.xdpgate.datapath.packet.ChecksumStatus;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Redirect NAT: the rewrite towards the gateway (compared byte for byte with an independently
 * built frame, checksums judged by the from-scratch oracle), the metadata, unique pool ports,
 * pool exhaustion, source NAT, the byte-exact restore of what comes back from the gateway, loop
 * prevention, the gateway's RST, fail modes and full tables.
 */
@KernelTest
class NatKernelTest extends DatapathSuite {
    private static final int GW = 0;
    private static final int POOL_BASE = 40000;
    private static final int POOL = 1000;
    private static final int SNAT_BASE = 50000;
    private static final int CPORT = 42000;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int WEB_RULE = 20;
    private static final int DNS_RULE = 21;

    @BeforeEach
    void redirectWebAndDns() {
        dp.reset();
        gateway(POOL, Abi.XG_GW_F_ACTIVE);
        redirectPolicy(dp);
    }

    private static void redirectPolicy(Datapath d) {
        d.policy(Action.DROP,
                Rule.builder(WEB_RULE).tcp().ports("80").redirect(GW).build(),
                Rule.builder(DNS_RULE).udp().ports("53").redirect(GW).build());
    }

    private static void gateway(int poolSize, int flags) {
        dp.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, poolSize, flags));
    }

    /** Gateway 0 with source NAT: {@code snatPorts} firewall ports times {@code gwPorts} gateway ports. */
    private static void snatGateway(int snatPorts, int gwPorts) {
        dp.gateway(GW, new Gateway(ip(GATEWAY6), ip(SNAT6), ip(GATEWAY4).ipv4Bits(), ip(SNAT4).ipv4Bits(),
                POOL_BASE, gwPorts, SNAT_BASE, snatPorts, Datapath.IFINDEX, Datapath.GW_MAC, Datapath.GW_LOCAL_MAC,
                Abi.XG_GW_F_ACTIVE));
    }

    /**
     * A flow of a case: how to build its packets between any two endpoints, so that the frame the
     * gateway should see can be built independently of the kernel's rewrite.
     */
    record Flow(String name, String client, String server, int proto, boolean udpChecksum,
                UnaryOperator<PacketBuilder> extra) {
        boolean v6() {
            return client.contains(":");
        }

        private PacketBuilder l3(String src, String dst) {
            return extra.apply(v6() ? new PacketBuilder().ipv6(src, dst) : new PacketBuilder().ipv4(src, dst));
        }

        /** The first packet's shape (SYN, query) between any two endpoints. */
        byte[] request(String src, int sport, String dst, int dport) {
            PacketBuilder b = l3(src, dst);
            return proto == TCP ? b.tcp(sport, dport).syn().seq(7).build() : udp(b.udp(sport, dport).payload("query"));
        }

        /** The answer's shape (SYN-ACK, response). */
        byte[] response(String src, int sport, String dst, int dport) {
            PacketBuilder b = l3(src, dst);
            return proto == TCP ? b.tcp(sport, dport).syn().ack().seq(90).ackNumber(8).build()
                    : udp(b.udp(sport, dport).payload("answer!"));
        }

        private byte[] udp(PacketBuilder b) {
            return udpChecksum ? b.build() : b.l4Checksum(0).build();
        }

        byte[] fromClient(int cport) {
            return request(client, cport, server, serverPort());
        }

        byte[] fromServer(int cport) {
            return response(server, serverPort(), client, cport);
        }

        /** The client's next packet after the answer (its ACK, another datagram): both sides took part. */
        byte[] confirmFromClient(int cport) {
            PacketBuilder b = l3(client, server);
            return proto == TCP ? b.tcp(cport, serverPort()).ack().seq(8).ackNumber(91).build()
                    : udp(b.udp(cport, serverPort()).payload("query"));
        }

        /** What the gateway should receive in the original direction (no source NAT). */
        byte[] toGateway(int cport, int gwPort) {
            return request(client, cport, gatewayAddress(), gwPort);
        }

        /** What the gateway should receive in the reply direction (no source NAT). */
        byte[] replyToGateway(int cport, int gwPort) {
            return response(gatewayAddress(), gwPort, client, cport);
        }

        Tuple orig(int cport) {
            return Tuple.of(inet(client), cport, inet(server), serverPort(), proto);
        }

        Tuple nat(int cport, int gwPort) {
            return Tuple.of(inet(client), cport, inet(gatewayAddress()), gwPort, proto);
        }

        int serverPort() {
            return proto == TCP ? 80 : 53;
        }

        int ruleId() {
            return proto == TCP ? WEB_RULE : DNS_RULE;
        }

        String gatewayAddress() {
            return v6() ? GATEWAY6 : GATEWAY4;
        }

        String snatAddress() {
            return v6() ? SNAT6 : SNAT4;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Flow flow(String name, String client, String server, int proto, boolean udpChecksum) {
        return new Flow(name, client, server, proto, udpChecksum, b -> b);
    }

    private static final Flow TCP4 = flow("TCP/IPv4", CLIENT4, SERVER4, TCP, true);
    private static final Flow TCP6 = flow("TCP/IPv6", CLIENT6, SERVER6, TCP, true);

    static Stream<Flow> flows() {
        return Stream.of(
                TCP4,
                TCP6,
                flow("UDP/IPv4", CLIENT4, SERVER4, UDP, true),
                flow("UDP/IPv4 without checksum", CLIENT4, SERVER4, UDP, false),
                flow("UDP/IPv6", CLIENT6, SERVER6, UDP, true),
                new Flow("TCP/IPv4 with IP options in VLAN 7", CLIENT4, SERVER4, TCP, true,
                        b -> b.vlan(7).ipv4Options(new byte[] {1, 1, 1, 0})),
                new Flow("UDP/IPv6 after a hop-by-hop header", CLIENT6, SERVER6, UDP, true,
                        b -> b.hopByHop(new byte[0])));
    }

    static Stream<Flow> tcpFlows() {
        return Stream.of(TCP4, TCP6);
    }

    /**
     * The server answers connections {@code first} .. {@code first + n - 1} and their clients
     * confirm: entries both sides took part in are never reclaimed to make room for a new flow.
     */
    private static void answer(Flow f, int first, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(XdpAction.REDIRECT, send(Role.INTERNAL, f.fromServer(first + i)).action(), "answer " + i);
            assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, f.confirmFromClient(first + i)).action(), "confirm " + i);
        }
    }

    private static Datapath.Run send(Role role, byte[] frame) {
        dp.role(role, GW);
        return dp.run(frame);
    }

    private static void assertChecksums(Flow f, byte[] frame) {
        var report = ChecksumVerifier.verify(frame);
        if (f.udpChecksum()) {
            assertTrue(report.allCorrect(), f + ": " + report);
        } else {
            assertEquals(ChecksumStatus.ABSENT, report.l4().status(), f + ": a UDP datagram without checksum stays so");
            assertEquals(0, PacketView.parse(frame).l4Checksum());
            assertEquals(ChecksumStatus.CORRECT, report.ipv4Header().status(), f + ": " + report);
        }
    }

    /** Everything after the two MAC addresses: VLAN tags, IP header and all that follows. */
    private static byte[] afterMacs(byte[] frame) {
        return Arrays.copyOfRange(frame, 12, frame.length);
    }

    private static MacAddr dstMac(byte[] frame) {
        return MacAddr.of(Arrays.copyOfRange(frame, 0, 6));
    }

    private static MacAddr srcMac(byte[] frame) {
        return MacAddr.of(Arrays.copyOfRange(frame, 6, 12));
    }

    /** The frame as the gateway must receive it: expected bytes after the MACs, the veth pair's MACs. */
    private static void assertSentToGateway(byte[] expected, byte[] actual, String what) {
        assertArrayEquals(afterMacs(expected), afterMacs(actual), what);
        assertEquals(Datapath.GW_MAC, dstMac(actual), what + ": addressed to the gateway's end of the veth");
        assertEquals(Datapath.GW_LOCAL_MAC, srcMac(actual), what + ": from our end of the veth");
    }

    /** A restored frame: exactly the expected bytes after the MACs, addressed to the veth itself. */
    private static void assertRestored(byte[] expected, Datapath.Run run, String what) {
        assertEquals(XdpAction.PASS, run.action(), what);
        assertArrayEquals(afterMacs(expected), afterMacs(run.packet()), what + ": restored exactly");
        assertEquals(Datapath.IFACE_MAC, dstMac(run.packet()), what + ": addressed to the veth so the stack takes it");
        assertEquals(0, run.metadata().length, what + ": no metadata towards the stack");
    }

    /**
     * The metadata the gateway end of the veth (xdpgate_xsk) puts in front of a redirected frame,
     * from the NAT entry the frame's tuple names. A test has no AF_XDP socket: the frame is then
     * dropped, after the metadata is written (one drop counted, DROP_GW_DOWN).
     */
    private static Meta metaAtGateway(Datapath.Run redirected) {
        assertEquals(0, redirected.metadata().length, "the redirecting hook writes none");
        long drops = dp.count(Stat.DROP);
        long down = dp.count(Stat.DROP_GW_DOWN);
        dp.role(Role.GATEWAY, GW);
        var at = dp.runXsk(redirected.packet());
        assertEquals(XdpAction.DROP, at.action(), "no socket in a test");
        assertEquals(drops + 1, dp.count(Stat.DROP));
        assertEquals(down + 1, dp.count(Stat.DROP_GW_DOWN), "dropped for want of the socket, not of the connection");
        assertArrayEquals(redirected.packet(), at.packet(), "the frame itself is untouched");
        assertEquals(32, at.metadata().length, "struct xg_meta in front of the frame");
        int magic = ByteBuffer.wrap(at.metadata()).order(ByteOrder.LITTLE_ENDIAN).getInt(28);
        assertEquals(Abi.XG_META_MAGIC, magic, "the magic is the last word before the frame");
        return Meta.CODEC.fromBytes(at.metadata());
    }

    private static <K, V> int size(TypedMap<K, V> map) {
        return map.keys().size();
    }

    // ---- towards the gateway

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void redirectsTheOriginalDirectionToTheGateway(Flow f) {
        byte[] in = f.fromClient(CPORT);
        var run = send(Role.EXTERNAL, in);
        assertEquals(XdpAction.REDIRECT, run.action());

        PacketView out = PacketView.parse(run.packet());
        int gwPort = out.dstPort();
        assertTrue(gwPort >= POOL_BASE && gwPort < POOL_BASE + POOL, "port " + gwPort + " from the pool");
        assertEquals(inet(f.gatewayAddress()), out.dstAddress());
        assertEquals(inet(f.client()), out.srcAddress(), "the client stays visible to the gateway");
        assertEquals(CPORT, out.srcPort());
        assertSentToGateway(f.toGateway(CPORT, gwPort), run.packet(), f.name());
        assertChecksums(f, run.packet());

        Tuple orig = f.orig(CPORT);
        Tuple nat = f.nat(CPORT, gwPort);
        Conn conn = dp.tables().conns().get(orig).orElseThrow();
        assertEquals(nat, conn.nat());
        assertEquals(Action.REDIRECT, conn.verdict());
        assertEquals(GW, conn.gwId());
        assertEquals(f.ruleId(), conn.ruleId());
        assertEquals(f.proto() == TCP ? TcpState.SYN_SENT : TcpState.NONE, conn.tcpState());
        assertFalse(conn.hasFlag(Abi.XG_CONN_F_SNAT));
        assertEquals(1, conn.packetsOrig());
        assertEquals(in.length, conn.bytesOrig());
        var natRev = dp.tables().natRev().entries();
        assertEquals(1, natRev.size());
        assertEquals(new NatKey(GW, gwPort, 0, f.proto()), natRev.get(0).key());
        assertEquals(orig, natRev.get(0).value(), "the NAT identity leads back to the original tuple");

        assertEquals(1, dp.count(Stat.REDIRECT));
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(0, dp.count(Stat.PASS));
        assertEquals(0, dp.count(Stat.DROP));
        List<Event> events = dp.events();
        assertEquals(1, events.size(), events.toString());
        Event ev = events.get(0);
        assertEquals(EventType.REDIRECT, ev.type());
        assertEquals(orig, ev.orig());
        assertEquals(nat, ev.nat(), "the event joins the original and the NAT tuple");
        assertEquals(conn.id(), ev.connId());
        assertEquals(f.ruleId(), ev.ruleId());
        assertEquals(GW, ev.gwId());

        assertEquals(Meta.of(conn.id(), ip(f.server()), f.serverPort(), Abi.XG_DIR_ORIG, 0), metaAtGateway(run));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void redirectsRepliesFromTheGatewaysAddress(Flow f) {
        int gwPort = PacketView.parse(send(Role.EXTERNAL, f.fromClient(CPORT)).packet()).dstPort();
        byte[] reply = f.fromServer(CPORT);
        var run = send(Role.INTERNAL, reply);
        assertEquals(XdpAction.REDIRECT, run.action());
        PacketView out = PacketView.parse(run.packet());
        assertEquals(inet(f.gatewayAddress()), out.srcAddress());
        assertEquals(gwPort, out.srcPort());
        assertEquals(inet(f.client()), out.dstAddress());
        assertEquals(CPORT, out.dstPort());
        assertSentToGateway(f.replyToGateway(CPORT, gwPort), run.packet(), f.name() + " reply");
        assertChecksums(f, run.packet());

        Conn conn = dp.tables().conns().get(f.orig(CPORT)).orElseThrow();
        assertEquals(f.proto() == TCP ? TcpState.ESTABLISHED : TcpState.NONE, conn.tcpState());
        assertEquals(1, conn.packetsReply());
        assertEquals(reply.length, conn.bytesReply());
        assertEquals(2, dp.count(Stat.REDIRECT));
        assertEquals(1, dp.count(Stat.REPLY));
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(1, size(dp.tables().natRev()));
        assertEquals(Meta.of(conn.id(), ip(f.server()), f.serverPort(), Abi.XG_DIR_REPLY, 0), metaAtGateway(run),
                "the reply's metadata still names the original server");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aRetransmissionKeepsItsPoolPort(Flow f) {
        var first = send(Role.EXTERNAL, f.fromClient(CPORT));
        var again = send(Role.EXTERNAL, f.fromClient(CPORT));
        assertEquals(XdpAction.REDIRECT, again.action());
        assertArrayEquals(first.packet(), again.packet(), "the same rewrite, the same gateway port");
        assertEquals(1, size(dp.tables().natRev()), "no second slot");
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(2, dp.tables().conns().get(f.orig(CPORT)).orElseThrow().packetsOrig());
    }

    // ---- back from the gateway

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void restoresWhatComesBackFromTheGatewayByteForByte(Flow f) {
        byte[] request = f.fromClient(CPORT);
        byte[] natRequest = send(Role.EXTERNAL, request).packet();
        var restored = send(Role.GATEWAY, natRequest);
        assertRestored(request, restored, f + ": client -> server");
        assertChecksums(f, restored.packet());

        byte[] reply = f.fromServer(CPORT);
        byte[] natReply = send(Role.INTERNAL, reply).packet();
        var restoredReply = send(Role.GATEWAY, natReply);
        assertRestored(reply, restoredReply, f + ": server -> client");
        assertChecksums(f, restoredReply.packet());

        assertEquals(2, dp.count(Stat.GW_RESTORED));
        assertEquals(2, dp.count(Stat.PASS));
        assertEquals(2, dp.count(Stat.REDIRECT), "what came from the gateway was not redirected again");
        assertEquals(0, dp.count(Stat.DROP));
        assertEquals(1, size(dp.tables().conns()));
        assertEquals(1, size(dp.tables().natRev()));
    }

    private static byte[] udp(String src, int sport, String dst, int dport, byte[] payload) {
        PacketBuilder b = src.contains(":") ? new PacketBuilder().ipv6(src, dst) : new PacketBuilder().ipv4(src, dst);
        return b.udp(sport, dport).payload(payload).build();
    }

    /**
     * A payload whose last word makes the UDP checksum of {@code frameOf(payload)} compute to zero,
     * which goes on the wire as 0xffff (0 would mean "no checksum").
     */
    private static byte[] zeroSumPayload(Function<byte[], byte[]> frameOf) {
        byte[] p = Arrays.copyOf("zero-sum datagram!".getBytes(StandardCharsets.US_ASCII), 20);
        int check = PacketView.parse(frameOf.apply(p)).l4Checksum();
        if (check != 0xffff) {
            // one's complement: sum + ~sum = 0xffff, whose checksum is 0
            p[18] = (byte) (check >>> 8);
            p[19] = (byte) check;
        }
        assertEquals(0xffff, PacketView.parse(frameOf.apply(p)).l4Checksum(), "payload tuning");
        return p;
    }

    static Stream<Arguments> zeroSums() {
        return Stream.of(
                Arguments.of("IPv4", "the gateway's view"), Arguments.of("IPv4", "the original"),
                Arguments.of("IPv6", "the gateway's view"), Arguments.of("IPv6", "the original"));
    }

    /** 0xffff and 0 are the same one's complement number; UDP must never send the latter. */
    @ParameterizedTest(name = "{0}: UDP checksum of {1} computes to 0")
    @MethodSource("zeroSums")
    void udpChecksumsThatComputeToZeroAreSentAs0xffff(String family, String where) {
        gateway(1, Abi.XG_GW_F_ACTIVE); // the one port: POOL_BASE
        boolean v6 = family.equals("IPv6");
        String client = v6 ? CLIENT6 : CLIENT4;
        String server = v6 ? SERVER6 : SERVER4;
        String gw = v6 ? GATEWAY6 : GATEWAY4;
        Function<byte[], byte[]> query = p -> udp(client, CPORT, server, 53, p);
        Function<byte[], byte[]> natQuery = p -> udp(client, CPORT, gw, POOL_BASE, p);
        Function<byte[], byte[]> answer = p -> udp(server, 53, client, CPORT, p);
        Function<byte[], byte[]> natAnswer = p -> udp(gw, POOL_BASE, client, CPORT, p);
        boolean atGateway = where.equals("the gateway's view");
        byte[] qp = zeroSumPayload(atGateway ? natQuery : query);
        byte[] ap = zeroSumPayload(atGateway ? natAnswer : answer);

        var out = send(Role.EXTERNAL, query.apply(qp));
        assertEquals(XdpAction.REDIRECT, out.action());
        assertSentToGateway(natQuery.apply(qp), out.packet(), "query to the gateway");
        assertTrue(ChecksumVerifier.verify(out.packet()).allCorrect(), ChecksumVerifier.verify(out.packet()).toString());
        assertRestored(query.apply(qp), send(Role.GATEWAY, out.packet()), "query from the gateway");

        var outAnswer = send(Role.INTERNAL, answer.apply(ap));
        assertEquals(XdpAction.REDIRECT, outAnswer.action());
        assertSentToGateway(natAnswer.apply(ap), outAnswer.packet(), "answer to the gateway");
        assertTrue(ChecksumVerifier.verify(outAnswer.packet()).allCorrect(), ChecksumVerifier.verify(outAnswer.packet()).toString());
        assertRestored(answer.apply(ap), send(Role.GATEWAY, outAnswer.packet()), "answer from the gateway");
    }

    // ---- port pools

    @Test
    void everyConnectionGetsItsOwnPoolPort() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < POOL; i++) {
            var run = send(Role.EXTERNAL, TCP4.fromClient(10000 + i));
            assertEquals(XdpAction.REDIRECT, run.action(), "connection " + i);
            int port = PacketView.parse(run.packet()).dstPort();
            assertTrue(port >= POOL_BASE && port < POOL_BASE + POOL, "port " + port);
            ports.add(port);
        }
        assertEquals(POOL, ports.size(), "1,000 connections, 1,000 distinct ports");
        var natRev = dp.tables().natRev().entries();
        assertEquals(POOL, natRev.size());
        for (var e : natRev) {
            Conn c = dp.tables().conns().get(e.value()).orElseThrow(() -> new AssertionError("orphan " + e));
            assertEquals(e.key().gwPort(), c.nat().dport(), "slot and connection agree on the port");
        }
        assertEquals(POOL, dp.count(Stat.REDIRECT));
        answer(TCP4, 10000, POOL);

        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, TCP4.fromClient(10000 + POOL)).action(), "the pool is full");
        assertEquals(1, dp.count(Stat.DROP_POOL_EXHAUSTED));
        assertEquals(POOL, size(dp.tables().natRev()));
    }

    @Test
    void anExhaustedPoolRefusesTheNewFlowAndAFreedPortIsReused() {
        gateway(4, Abi.XG_GW_F_ACTIVE);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            var run = send(Role.EXTERNAL, TCP4.fromClient(10000 + i));
            assertEquals(XdpAction.REDIRECT, run.action());
            ports.add(PacketView.parse(run.packet()).dstPort());
        }
        assertEquals(Set.of(40000, 40001, 40002, 40003), ports);
        answer(TCP4, 10000, 4);
        dp.events();
        dp.tables().resetCounters();

        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, TCP4.fromClient(10004)).action());
        assertEquals(1, dp.count(Stat.DROP_POOL_EXHAUSTED));
        assertEquals(1, dp.count(Stat.DROP));
        List<Event> events = dp.events();
        assertEquals(1, events.size(), events.toString());
        Event refused = events.get(0);
        assertEquals(EventType.DROP, refused.type());
        assertEquals(Stat.DROP_POOL_EXHAUSTED, refused.reason());
        assertEquals(TCP4.orig(10004), refused.orig());
        assertEquals(WEB_RULE, refused.ruleId());
        assertEquals(GW, refused.gwId());
        assertTrue(dp.tables().conns().get(TCP4.orig(10004)).isEmpty());
        assertEquals(4, size(dp.tables().natRev()), "the refused flow claimed nothing");

        // what GC does to a finished connection: the entry and its NAT slot go together
        Tuple first = TCP4.orig(10000);
        Conn gone = dp.tables().conns().get(first).orElseThrow();
        assertTrue(dp.tables().conns().remove(first));
        assertTrue(dp.tables().natRev().remove(new NatKey(GW, gone.nat().dport(), 0, TCP)));
        var again = send(Role.EXTERNAL, TCP4.fromClient(10005));
        assertEquals(XdpAction.REDIRECT, again.action());
        assertEquals(gone.nat().dport(), PacketView.parse(again.packet()).dstPort(), "the freed port");
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, TCP4.fromClient(10006)).action(), "and full again");
        assertEquals(2, dp.count(Stat.DROP_POOL_EXHAUSTED));
    }

    // ---- source NAT

    @ParameterizedTest(name = "{0}")
    @MethodSource("tcpFlows")
    void sourceNatMakesPortPairsUniqueAndRestoresTheClient(Flow f) {
        snatGateway(2, 2);
        record Nated(int cport, int snatPort, int gwPort) { }
        List<Nated> nated = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int cport = 10000 + i;
            var run = send(Role.EXTERNAL, f.fromClient(cport));
            assertEquals(XdpAction.REDIRECT, run.action(), "connection " + i);
            PacketView out = PacketView.parse(run.packet());
            int snatPort = out.srcPort();
            int gwPort = out.dstPort();
            assertTrue(snatPort >= SNAT_BASE && snatPort < SNAT_BASE + 2, "source port " + snatPort);
            assertTrue(gwPort >= POOL_BASE && gwPort < POOL_BASE + 2, "gateway port " + gwPort);
            assertSentToGateway(f.request(f.snatAddress(), snatPort, f.gatewayAddress(), gwPort), run.packet(),
                    "the client is hidden behind the firewall's address");
            assertChecksums(f, run.packet());

            Conn conn = dp.tables().conns().get(f.orig(cport)).orElseThrow();
            assertTrue(conn.hasFlag(Abi.XG_CONN_F_SNAT));
            Tuple nat = Tuple.of(inet(f.snatAddress()), snatPort, inet(f.gatewayAddress()), gwPort, TCP);
            assertEquals(nat, conn.nat());
            assertEquals(f.orig(cport), dp.tables().natRev().get(new NatKey(GW, gwPort, snatPort, TCP)).orElseThrow());
            assertEquals(Meta.of(conn.id(), ip(f.server()), 80, Abi.XG_DIR_ORIG, Abi.XG_META_F_SNAT), metaAtGateway(run));
            nated.add(new Nated(cport, snatPort, gwPort));
        }
        assertEquals(4, nated.stream().map(n -> List.of(n.snatPort(), n.gwPort())).distinct().count(),
                "2 x 2 pools: 4 distinct (source port, gateway port) pairs");
        answer(f, 10000, 4);

        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, f.fromClient(10004)).action(), "a fifth has no pair left");
        assertEquals(1, dp.count(Stat.DROP_POOL_EXHAUSTED));
        assertEquals(4, size(dp.tables().natRev()));

        for (Nated n : nated) {
            byte[] request = f.fromClient(n.cport());
            byte[] natRequest = f.request(f.snatAddress(), n.snatPort(), f.gatewayAddress(), n.gwPort());
            assertRestored(request, send(Role.GATEWAY, natRequest), "client " + n.cport() + " -> server");

            byte[] reply = f.fromServer(n.cport());
            var toGw = send(Role.INTERNAL, reply);
            assertEquals(XdpAction.REDIRECT, toGw.action());
            assertSentToGateway(f.response(f.gatewayAddress(), n.gwPort(), f.snatAddress(), n.snatPort()),
                    toGw.packet(), "the reply goes to the firewall's address and port");
            assertEquals(Abi.XG_DIR_REPLY, metaAtGateway(toGw).dir());
            assertRestored(reply, send(Role.GATEWAY, toGw.packet()), "server -> client " + n.cport());
        }
        assertEquals(8, dp.count(Stat.GW_RESTORED));
    }

    /** Pool index i is the pair (snat base + i / gateway ports, gateway base + i % gateway ports). */
    @Test
    void aThousandByAThousandPortsIdentifyAMillionConnections() {
        int ports = 1000;
        int space = ports * ports;
        assertEquals(1_000_000, space);
        snatGateway(ports, ports);

        // from the start: 1,500 connections reuse every gateway port with a second source port
        Set<List<Integer>> pairs = new HashSet<>();
        Set<Integer> gwPorts = new HashSet<>();
        Set<Integer> snatPorts = new HashSet<>();
        for (int i = 0; i < 1500; i++) {
            var run = send(Role.EXTERNAL, TCP4.fromClient(10000 + i));
            assertEquals(XdpAction.REDIRECT, run.action(), "connection " + i);
            PacketView out = PacketView.parse(run.packet());
            pairs.add(List.of(out.srcPort(), out.dstPort()));
            gwPorts.add(out.dstPort());
            snatPorts.add(out.srcPort());
        }
        assertEquals(1500, pairs.size(), "every connection its own pair");
        assertTrue(gwPorts.size() < 1500, "gateway ports shared by connections, told apart by their source port");
        assertTrue(snatPorts.size() > 1);
        assertEquals(1500, size(dp.tables().natRev()));
    }

    /**
     * The search covers the whole space, wrapping past its end: 3 gateway ports by 2 source ports
     * hold exactly 6 connections, the last pair (both highest ports) among them, and not a 7th.
     */
    @Test
    void thePoolSearchCoversTheWholeSpaceAndWraps() {
        snatGateway(2, 3);
        Set<List<Integer>> got = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            var run = send(Role.EXTERNAL, TCP4.fromClient(20000 + i));
            assertEquals(XdpAction.REDIRECT, run.action(), "connection " + i);
            PacketView out = PacketView.parse(run.packet());
            got.add(List.of(out.srcPort(), out.dstPort()));
        }
        Set<List<Integer>> all = new HashSet<>();
        for (int sp = 0; sp < 2; sp++) {
            for (int gp = 0; gp < 3; gp++) {
                all.add(List.of(SNAT_BASE + sp, POOL_BASE + gp));
            }
        }
        assertEquals(all, got, "every pair of the space, the last one included");
        answer(TCP4, 20000, 6);
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, TCP4.fromClient(20006)).action());
        assertEquals(1, dp.count(Stat.DROP_POOL_EXHAUSTED));
    }

    // ---- loop prevention

    /** A frame arriving from the gateway that must not be restored; {@code gwPort} is the connection's. */
    record FromGateway(String name, IntFunction<byte[]> frame, Stat reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<FromGateway> strayFrames() {
        return Stream.of(
                new FromGateway("the original frame, not NATed: matches the redirect rule",
                        p -> TCP4.fromClient(CPORT), Stat.DROP_GW_UNKNOWN),
                new FromGateway("a new client's SYN towards the server",
                        p -> TCP4.fromClient(CPORT + 5), Stat.DROP_GW_UNKNOWN),
                new FromGateway("a gateway port no connection holds",
                        p -> new PacketBuilder().ipv4(CLIENT4, GATEWAY4).tcp(CPORT, p == POOL_BASE ? p + 1 : POOL_BASE).syn().build(),
                        Stat.DROP_GW_UNKNOWN),
                new FromGateway("UDP to the TCP connection's gateway port",
                        p -> new PacketBuilder().ipv4(CLIENT4, GATEWAY4).udp(CPORT, p).payload("x").build(),
                        Stat.DROP_GW_UNKNOWN),
                new FromGateway("ICMP echo to the gateway address",
                        p -> new PacketBuilder().ipv4(CLIENT4, GATEWAY4).icmpEchoRequest(1, 1).build(),
                        Stat.DROP_GW_UNKNOWN),
                new FromGateway("right gateway port, another client port",
                        p -> new PacketBuilder().ipv4(CLIENT4, GATEWAY4).tcp(CPORT + 1, p).syn().seq(7).build(),
                        Stat.DROP_GW_MISMATCH),
                new FromGateway("right gateway port, another client address",
                        p -> new PacketBuilder().ipv4("198.18.1.3", GATEWAY4).tcp(CPORT, p).syn().seq(7).build(),
                        Stat.DROP_GW_MISMATCH),
                new FromGateway("reply from the gateway port to another client port",
                        p -> new PacketBuilder().ipv4(GATEWAY4, CLIENT4).tcp(p, CPORT + 1).syn().ack().build(),
                        Stat.DROP_GW_MISMATCH),
                new FromGateway("IPv6 on the IPv4 connection's gateway port",
                        p -> new PacketBuilder().ipv6(CLIENT6, GATEWAY6).tcp(CPORT, p).syn().seq(7).build(),
                        Stat.DROP_GW_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strayFrames")
    void framesFromTheGatewayAreNeverClassifiedOrRedirectedAgain(FromGateway stray) {
        var first = send(Role.EXTERNAL, TCP4.fromClient(CPORT));
        assertEquals(XdpAction.REDIRECT, first.action());
        int gwPort = PacketView.parse(first.packet()).dstPort();
        Conn before = dp.tables().conns().get(TCP4.orig(CPORT)).orElseThrow();

        var run = send(Role.GATEWAY, stray.frame().apply(gwPort));
        assertEquals(XdpAction.DROP, run.action(), stray.name());
        assertEquals(1, dp.count(stray.reason()));
        assertEquals(1, dp.count(Stat.DROP));
        assertEquals(1, dp.count(Stat.REDIRECT), "only the one redirect from the external side");
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(before, dp.tables().conns().get(TCP4.orig(CPORT)).orElseThrow(), "the connection is untouched");
        assertEquals(1, size(dp.tables().conns()));
        assertEquals(1, size(dp.tables().natRev()));

        var valid = send(Role.GATEWAY, first.packet());
        assertEquals(XdpAction.PASS, valid.action(), "the connection's own frame passes");
        assertEquals(1, dp.count(Stat.REDIRECT), "and is not redirected again");
        assertEquals(1, dp.count(Stat.GW_RESTORED));
    }

    @Test
    void withoutAnyConnectionEverythingFromTheGatewayIsUnknown() {
        var run = send(Role.GATEWAY, TCP4.fromClient(CPORT));
        assertEquals(XdpAction.DROP, run.action(), "matches the redirect rule, but comes from the gateway");
        assertEquals(1, dp.count(Stat.DROP_GW_UNKNOWN));
        assertEquals(0, dp.count(Stat.REDIRECT));
        assertEquals(0, dp.count(Stat.NEW_FLOW));
        assertEquals(0, size(dp.tables().conns()), "nothing is created from the gateway side");
    }

    // ---- the gateway's RST

    static Stream<Arguments> gatewayResets() {
        return Stream.of(
                Arguments.of("towards the client", false), Arguments.of("towards the server", false),
                Arguments.of("towards the client", true), Arguments.of("towards the server", true));
    }

    @ParameterizedTest(name = "{0}, source NAT {1}")
    @MethodSource("gatewayResets")
    void aResetFromTheGatewayClosesTheConnection(String direction, boolean snat) {
        if (snat) {
            snatGateway(10, 10);
        }
        var first = send(Role.EXTERNAL, TCP4.fromClient(CPORT));
        assertEquals(XdpAction.REDIRECT, first.action());
        PacketView nat = PacketView.parse(first.packet());
        String natClient = snat ? SNAT4 : CLIENT4;
        int natCport = nat.srcPort();
        int gwPort = nat.dstPort();
        Conn conn = dp.tables().conns().get(TCP4.orig(CPORT)).orElseThrow();
        NatKey slot = new NatKey(GW, gwPort, snat ? natCport : 0, TCP);
        assertTrue(dp.tables().natRev().get(slot).isPresent());
        dp.events();

        boolean toClient = direction.equals("towards the client");
        byte[] rst = toClient
                ? new PacketBuilder().ipv4(GATEWAY4, natClient).tcp(gwPort, natCport).rst().ack().ackNumber(8).build()
                : new PacketBuilder().ipv4(natClient, GATEWAY4).tcp(natCport, gwPort).rst().seq(8).build();
        byte[] expected = toClient
                ? new PacketBuilder().ipv4(SERVER4, CLIENT4).tcp(80, CPORT).rst().ack().ackNumber(8).build()
                : new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(CPORT, 80).rst().seq(8).build();
        assertRestored(expected, send(Role.GATEWAY, rst), "the gateway's RST");
        assertEquals(TcpState.CLOSED, dp.tables().conns().get(TCP4.orig(CPORT)).orElseThrow().tcpState());
        assertEquals(1, dp.count(Stat.CLOSED));
        List<Event> events = dp.events();
        assertEquals(1, events.size(), events.toString());
        assertEquals(EventType.CLOSED, events.get(0).type());
        assertEquals(TCP4.orig(CPORT), events.get(0).orig());
        assertEquals(conn.nat(), events.get(0).nat());
        assertEquals(conn.id(), events.get(0).connId());

        assertEquals(XdpAction.DROP, send(Role.EXTERNAL,
                new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(CPORT, 80).ack().payload("x").build()).action());
        assertEquals(1, dp.count(Stat.DROP_TCP_CLOSED));

        // the client starts over: the old NAT slot is released with the old entry
        var again = send(Role.EXTERNAL, TCP4.fromClient(CPORT));
        assertEquals(XdpAction.REDIRECT, again.action());
        Conn reopened = dp.tables().conns().get(TCP4.orig(CPORT)).orElseThrow();
        assertNotEquals(conn.id(), reopened.id());
        assertEquals(TcpState.SYN_SENT, reopened.tcpState());
        var natRev = dp.tables().natRev().entries();
        assertEquals(1, natRev.size(), "no slot left behind: " + natRev);
        assertEquals(TCP4.orig(CPORT), natRev.get(0).value());
        assertEquals(reopened.nat().dport(), natRev.get(0).key().gwPort());
        if (!natRev.get(0).key().equals(slot)) {
            assertTrue(dp.tables().natRev().get(slot).isEmpty());
        }
    }

    @Test
    void aResetFromTheGatewayInTimeWaitCountsTheFlowClosedOnce() {
        var syn = send(Role.EXTERNAL, TCP4.fromClient(CPORT));
        int gwPort = PacketView.parse(syn.packet()).dstPort();
        assertEquals(XdpAction.REDIRECT, send(Role.INTERNAL, TCP4.fromServer(CPORT)).action());
        assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL,
                new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(CPORT, 80).fin().ack().build()).action());
        assertEquals(XdpAction.REDIRECT, send(Role.INTERNAL,
                new PacketBuilder().ipv4(SERVER4, CLIENT4).tcp(80, CPORT).fin().ack().build()).action());
        assertEquals(TcpState.TIME_WAIT, dp.tables().conns().get(TCP4.orig(CPORT)).orElseThrow().tcpState());
        assertEquals(1, dp.count(Stat.CLOSED));
        assertEquals(1, dp.events().stream().filter(e -> e.type() == EventType.CLOSED).count());

        byte[] rst = new PacketBuilder().ipv4(GATEWAY4, CLIENT4).tcp(gwPort, CPORT).rst().build();
        assertEquals(XdpAction.PASS, send(Role.GATEWAY, rst).action());
        assertEquals(TcpState.CLOSED, dp.tables().conns().get(TCP4.orig(CPORT)).orElseThrow().tcpState());
        assertEquals(1, dp.count(Stat.CLOSED), "the flow was already counted closed");
        assertEquals(0, dp.events().stream().filter(e -> e.type() == EventType.CLOSED).count(), "and reported");
    }

    // ---- fail modes

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aGatewayThatIsDownFailsClosed(Flow f) {
        gateway(POOL, 0);
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, f.fromClient(CPORT)).action());
        assertEquals(1, dp.count(Stat.DROP_GW_DOWN));
        assertEquals(1, dp.count(Stat.DROP));
        assertEquals(0, size(dp.tables().conns()));
        assertEquals(0, size(dp.tables().natRev()), "no slot claimed");
        Event ev = dp.events().get(0);
        assertEquals(EventType.DROP, ev.type());
        assertEquals(Stat.DROP_GW_DOWN, ev.reason());
        assertEquals(f.orig(CPORT), ev.orig());
        assertEquals(f.ruleId(), ev.ruleId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aGatewayThatIsDownFailsOpenUntouched(Flow f) {
        gateway(POOL, Abi.XG_GW_F_FAIL_OPEN);
        byte[] in = f.fromClient(CPORT);
        var run = send(Role.EXTERNAL, in);
        assertEquals(XdpAction.PASS, run.action());
        assertArrayEquals(in, run.packet(), "not rewritten");
        assertEquals(0, run.metadata().length);
        assertEquals(1, dp.count(Stat.GW_BYPASS));
        Conn c = dp.tables().conns().get(f.orig(CPORT)).orElseThrow();
        assertEquals(Action.PASS, c.verdict(), "tracked as a passed flow");
        assertTrue(c.nat().isZero());
        assertEquals(0, size(dp.tables().natRev()));
        assertEquals(List.of(EventType.NEW), dp.events().stream().map(Event::type).toList());

        byte[] reply = f.fromServer(CPORT);
        var back = send(Role.INTERNAL, reply);
        assertEquals(XdpAction.PASS, back.action(), "its replies pass as well");
        assertArrayEquals(reply, back.packet());
        assertEquals(1, dp.count(Stat.GW_BYPASS), "bypass counts flows, not packets");
        assertEquals(0, dp.count(Stat.REDIRECT));
    }

    static Stream<Arguments> downMidFlow() {
        return Stream.of(Arguments.of("fail-closed", 0), Arguments.of("fail-open", Abi.XG_GW_F_FAIL_OPEN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("downMidFlow")
    void aGatewayGoingDownMidFlow(String mode, int flags) {
        assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, TCP4.fromClient(CPORT)).action());
        assertEquals(XdpAction.REDIRECT, send(Role.INTERNAL, TCP4.fromServer(CPORT)).action());
        gateway(POOL, flags);
        byte[] data = new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(CPORT, 80).ack().payload("GET /").build();
        var run = send(Role.EXTERNAL, data);
        if (flags == 0) {
            assertEquals(XdpAction.DROP, run.action());
            assertEquals(1, dp.count(Stat.DROP_GW_DOWN));
        } else {
            assertEquals(XdpAction.PASS, run.action());
            assertArrayEquals(data, run.packet(), "straight to the server, unchanged");
            assertEquals(1, dp.count(Stat.GW_BYPASS));
        }
        assertEquals(2, dp.count(Stat.REDIRECT));
        assertEquals(Action.REDIRECT, dp.tables().conns().get(TCP4.orig(CPORT)).orElseThrow().verdict(),
                "the connection stays redirected for when the gateway is back");
    }

    /** Marked active, but an AF_XDP gateway whose socket is not in gw_xsks (e.g. its process died). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("downMidFlow")
    void anAfXdpGatewayWithoutItsSocketIsDown(String mode, int flags) {
        gateway(POOL, Abi.XG_GW_F_ACTIVE | Abi.XG_GW_F_XSK | flags);
        byte[] syn = TCP4.fromClient(CPORT);
        var run = send(Role.EXTERNAL, syn);
        if (flags == 0) {
            assertEquals(XdpAction.DROP, run.action());
            assertEquals(1, dp.count(Stat.DROP_GW_DOWN));
        } else {
            assertEquals(XdpAction.PASS, run.action());
            assertArrayEquals(syn, run.packet(), "straight to the server, unchanged");
            assertEquals(1, dp.count(Stat.GW_BYPASS));
        }
        assertEquals(0, dp.count(Stat.REDIRECT));
        assertEquals(0, size(dp.tables().natRev()), "no slot claimed");
    }

    @Test
    void aGatewayWithoutAnAddressOfTheFamilyRefuses() {
        dp.gateway(GW, Datapath.gateway(GATEWAY4, null, POOL_BASE, POOL, Abi.XG_GW_F_ACTIVE));
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, TCP6.fromClient(CPORT)).action());
        assertEquals(1, dp.count(Stat.DROP_GW_NO_ADDR));
        assertEquals(Stat.DROP_GW_NO_ADDR, dp.events().get(0).reason());
        assertEquals(0, size(dp.tables().conns()));
        assertEquals(0, size(dp.tables().natRev()), "no slot claimed");
        assertEquals(XdpAction.REDIRECT, send(Role.EXTERNAL, TCP4.fromClient(CPORT)).action(), "IPv4 still works");
    }

    // ---- full tables

    static Stream<Arguments> fullTables() {
        return Stream.of(Arguments.of("conns", Stat.DROP_CONN_FULL), Arguments.of("nat_rev", Stat.DROP_NAT_FULL));
    }

    /**
     * A redirected entry the kernel never writes (ICMP has no ports to NAT), as a corrupted map or
     * a control-plane bug could leave: refused as an internal error, not blamed on the packet.
     */
    @Test
    void aRedirectedEntryThatCannotBeRewrittenIsAnInternalDrop() {
        Tuple echo = Tuple.of(inet(CLIENT4), 7, inet(SERVER4), 0, IpProto.ICMP);
        Tuple nat = Tuple.of(inet(CLIENT4), 7, inet(GATEWAY4), POOL_BASE, IpProto.ICMP);
        dp.tables().conns().put(echo, new Conn(1, 0, 0, 0, 0, 0, 0, nat, WEB_RULE, GW, Action.REDIRECT,
                TcpState.NONE, 0, Role.EXTERNAL, dp.ifindex(Role.EXTERNAL), TcpWindow.NONE, TcpWindow.NONE, 0));

        var run = send(Role.EXTERNAL, new PacketBuilder().ipv4(CLIENT4, SERVER4).icmpEchoRequest(7, 1).build());
        assertEquals(XdpAction.DROP, run.action());
        assertEquals(1, dp.count(Stat.DROP_INTERNAL));
        assertEquals(0, dp.count(Stat.DROP_L4_TRUNC), "the packet is well formed");
        assertEquals(1, dp.count(Stat.DROP));
    }

    /** A separate datapath whose named table holds only two entries. */
    @ParameterizedTest(name = "{0} full: {1}")
    @MethodSource("fullTables")
    void aFullTableRefusesTheThirdFlowCleanly(String map, Stat reason) {
        try (Datapath small = Datapath.load(o -> o.setMaxEntries(map, 2))) {
            small.reset();
            small.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, POOL, Abi.XG_GW_F_ACTIVE));
            redirectPolicy(small);
            assertEquals(XdpAction.REDIRECT, small.run(TCP4.fromClient(1)).action());
            assertEquals(XdpAction.REDIRECT, small.run(TCP4.fromClient(2)).action());
            // both answered and confirmed: a full table of live connections has nothing to reclaim
            small.role(Role.INTERNAL);
            assertEquals(XdpAction.REDIRECT, small.run(TCP4.fromServer(1)).action());
            assertEquals(XdpAction.REDIRECT, small.run(TCP4.fromServer(2)).action());
            small.role(Role.EXTERNAL);
            assertEquals(XdpAction.REDIRECT, small.run(TCP4.confirmFromClient(1)).action());
            assertEquals(XdpAction.REDIRECT, small.run(TCP4.confirmFromClient(2)).action());
            assertEquals(XdpAction.DROP, small.run(TCP4.fromClient(3)).action());
            assertEquals(1, small.count(reason), map + " full");
            assertEquals(1, small.count(Stat.DROP));
            assertEquals(6, small.count(Stat.REDIRECT));
            assertEquals(0, small.count(Stat.EARLY_DROP));
            assertEquals(2, small.tables().conns().keys().size());
            assertTrue(small.tables().conns().get(TCP4.orig(3)).isEmpty());
            assertEquals(2, small.tables().natRev().keys().size(), "no NAT slot left behind");
            for (var e : small.tables().natRev().entries()) {
                assertTrue(small.tables().conns().get(e.value()).isPresent(), "no orphan slot " + e);
            }
            Event refused = small.events().stream().filter(e -> e.type() == EventType.DROP).findFirst().orElseThrow();
            assertEquals(reason, refused.reason());
            assertEquals(TCP4.orig(3), refused.orig());

            // the existing flows carry on
            small.role(Role.INTERNAL);
            assertEquals(XdpAction.REDIRECT, small.run(TCP4.fromServer(1)).action());
        }
    }
}
