package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.CLIENT6;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY4;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.SERVER6;
import static io.xdpgate.datapath.kernel.Addresses.inet;
import static io.xdpgate.datapath.kernel.Addresses.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Expect;
import io.xdpgate.abi.ExpectKey;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Meta;
import io.xdpgate.abi.NatKey;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.TcpState;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.ChecksumVerifier;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.LoadTimeSettings;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expected connections (expects, bpf/src/expect.h): the data channel an FTP gateway announces is
 * admitted by its expectation although the rules drop it, from any source port, once; only the
 * exact addresses, port and protocol match; an expired expectation is deleted, counted and
 * ignored; a redirect expectation takes the normal redirect path (NAT, pool, metadata, fail mode).
 */
class ExpectKernelTest extends DatapathSuite {
    private static final int TCP = 6;
    private static final int UDP = 17;
    /** The rules: every new flow dropped by this rule. */
    private static final int DROP_RULE = 9;
    /** The rule the FTP control connection was admitted by: the data channel is attributed to it. */
    private static final int PARENT_RULE = 21;
    private static final long PARENT_CONN = 0x0001_0000_0000_002aL;
    /** The gateway redirect expectations name (not the rules: they redirect nothing). */
    private static final int GW = 1;
    private static final int POOL_BASE = 41000;
    private static final int POOL = 100;
    /** The data port the server announced (PASV). */
    private static final int DATA_PORT = 40021;
    private static final int CPORT = 50001;
    private static final String OTHER_CLIENT4 = "198.18.1.3";
    private static final String OTHER_CLIENT6 = "2001:db8:1::3";
    private static final String OTHER_SERVER4 = "198.18.2.3";
    private static final String OTHER_SERVER6 = "2001:db8:2::3";
    /** Past on every kernel whenever the fixture is replayed: CLOCK_MONOTONIC is beyond 1 ns at once. */
    private static final long EXPIRED = 1;

    /**
     * Still ahead when the fixture is replayed on this machine later or in a guest booted a minute
     * before (the replay writes the recorded value).
     */
    private static long fresh() {
        return System.nanoTime() + TimeUnit.DAYS.toNanos(1);
    }

    @BeforeEach
    void rulesDropEverything() {
        dp.reset();
        dp.policy(Action.DROP, Rule.builder(DROP_RULE).drop().build());
        dp.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, POOL, Abi.XG_GW_F_ACTIVE));
    }

    /** An expected flow: who connects to which server, over which protocol. */
    record Flow(String name, String client, String server, int proto) {
        boolean v6() {
            return client.contains(":");
        }

        private PacketBuilder l3(String src, String dst) {
            return v6() ? new PacketBuilder().ipv6(src, dst) : new PacketBuilder().ipv4(src, dst);
        }

        /** The first packet (SYN, datagram) between any two endpoints. */
        byte[] open(String src, int sport, String dst, int dport) {
            PacketBuilder b = l3(src, dst);
            return proto == TCP ? b.tcp(sport, dport).syn().seq(7).build()
                    : b.udp(sport, dport).payload("data").build();
        }

        byte[] fromClient(int cport) {
            return open(client, cport, server, DATA_PORT);
        }

        /** The server's answer (SYN-ACK, datagram). */
        byte[] fromServer(int cport) {
            PacketBuilder b = l3(server, client);
            return proto == TCP ? b.tcp(DATA_PORT, cport).syn().ack().seq(90).ackNumber(8).build()
                    : b.udp(DATA_PORT, cport).payload("ok").build();
        }

        /** What the gateway must receive: the first packet addressed to its pool port. */
        byte[] toGateway(int cport, int gwPort) {
            return open(client, cport, gatewayAddress(), gwPort);
        }

        ExpectKey key() {
            return ExpectKey.of(inet(client), inet(server), DATA_PORT, proto);
        }

        Tuple orig(int cport) {
            return Tuple.of(inet(client), cport, inet(server), DATA_PORT, proto);
        }

        String gatewayAddress() {
            return v6() ? GATEWAY6 : GATEWAY4;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Flow TCP4 = new Flow("TCP/IPv4", CLIENT4, SERVER4, TCP);
    private static final Flow TCP6 = new Flow("TCP/IPv6", CLIENT6, SERVER6, TCP);
    private static final Flow UDP4 = new Flow("UDP/IPv4", CLIENT4, SERVER4, UDP);
    private static final Flow UDP6 = new Flow("UDP/IPv6", CLIENT6, SERVER6, UDP);

    static Stream<Flow> flows() {
        return Stream.of(TCP4, TCP6, UDP4, UDP6);
    }

    private static void expect(Flow f, Expect e) {
        dp.tables().expects().put(f.key(), e);
    }

    private static Datapath.Run send(Role role, byte[] frame) {
        dp.role(role);
        return dp.run(frame);
    }

    private static void assertRefusedByTheRules(Datapath.Run run, String what) {
        assertEquals(XdpAction.DROP, run.action(), what);
        assertEquals(1, dp.count(Stat.DROP_POLICY), what + ": the rules refused it");
        assertEquals(1, dp.count(Stat.DROP));
    }

    // ---- pass

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void anExpectedFlowIsPassedAlthoughTheRulesDropIt(Flow f) {
        expect(f, Expect.pass(fresh(), PARENT_CONN, PARENT_RULE));
        byte[] first = f.fromClient(CPORT);
        var run = send(Role.EXTERNAL, first);
        assertEquals(XdpAction.PASS, run.action());
        assertArrayEquals(first, run.packet(), "passed unchanged");

        Conn conn = dp.tables().conns().get(f.orig(CPORT)).orElseThrow(() -> new AssertionError("no connection"));
        assertEquals(Action.PASS, conn.verdict());
        assertEquals(PARENT_RULE, conn.ruleId(), "attributed to the parent's rule");
        assertEquals(0, conn.gwId());
        assertEquals(Role.EXTERNAL, conn.inRole());
        assertEquals(f.proto() == TCP ? TcpState.SYN_SENT : TcpState.NONE, conn.tcpState());
        assertTrue(conn.nat().isZero());
        assertTrue(dp.tables().expects().keys().isEmpty(), "one-shot: the expectation is spent");

        assertEquals(1, dp.count(Stat.EXPECT_HIT));
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(1, dp.count(Stat.PASS));
        assertEquals(0, dp.count(Stat.DROP));
        assertEquals(0, dp.count(Stat.EXPECT_EXPIRED));
        List<Event> events = dp.events();
        assertEquals(1, events.size(), events.toString());
        assertEquals(EventType.NEW, events.get(0).type());
        assertEquals(f.orig(CPORT), events.get(0).orig());
        assertEquals(conn.id(), events.get(0).connId());
        assertEquals(PARENT_RULE, events.get(0).ruleId());

        var reply = send(Role.INTERNAL, f.fromServer(CPORT));
        assertEquals(XdpAction.PASS, reply.action(), "the server's answer follows the connection");
        assertEquals(1, dp.count(Stat.REPLY));
        assertEquals(1, dp.count(Stat.EXPECT_HIT), "hits count flows, not packets");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void anExpectationIsUsedOnce(Flow f) {
        expect(f, Expect.pass(fresh(), PARENT_CONN, PARENT_RULE));
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.fromClient(CPORT)).action());
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.fromClient(CPORT)).action(),
                "a retransmission belongs to the connection");

        var second = send(Role.EXTERNAL, f.fromClient(CPORT + 1));
        assertRefusedByTheRules(second, "a second flow from another source port");
        assertTrue(dp.tables().conns().get(f.orig(CPORT + 1)).isEmpty());
        assertEquals(1, dp.count(Stat.EXPECT_HIT));
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(1, dp.count(Stat.ESTABLISHED));
        Event refused = dp.events().stream().filter(e -> e.type() == EventType.DROP).findFirst().orElseThrow();
        assertEquals(DROP_RULE, refused.ruleId());
        assertEquals(f.orig(CPORT + 1), refused.orig());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void anySourcePortMatches(Flow f) {
        for (int sport : new int[] {1, 20, 65535}) {
            dp.tables().conns().clear();
            expect(f, Expect.pass(fresh(), PARENT_CONN, PARENT_RULE));
            assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.fromClient(sport)).action(), "source port " + sport);
            assertTrue(dp.tables().conns().get(f.orig(sport)).isPresent());
        }
        assertEquals(3, dp.count(Stat.EXPECT_HIT));
        assertTrue(dp.tables().expects().keys().isEmpty());
    }

    // ---- what does not match

    /** A packet that is not the expected flow's first, for an expectation of {@link #flow}. */
    record Miss(String description, Flow flow, byte[] frame, Stat reason) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Miss> misses() {
        return Stream.of(TCP4, TCP6).flatMap(f -> {
            String otherClient = f.v6() ? OTHER_CLIENT6 : OTHER_CLIENT4;
            String otherServer = f.v6() ? OTHER_SERVER6 : OTHER_SERVER4;
            Flow udp = new Flow(f.name(), f.client(), f.server(), UDP);
            PacketBuilder ack = f.v6() ? new PacketBuilder().ipv6(f.client(), f.server())
                    : new PacketBuilder().ipv4(f.client(), f.server());
            return Stream.of(
                    new Miss(f + ": another source address", f, f.open(otherClient, CPORT, f.server(), DATA_PORT),
                            Stat.DROP_POLICY),
                    new Miss(f + ": another destination address", f, f.open(f.client(), CPORT, otherServer, DATA_PORT),
                            Stat.DROP_POLICY),
                    new Miss(f + ": another destination port", f, f.open(f.client(), CPORT, f.server(), DATA_PORT + 1),
                            Stat.DROP_POLICY),
                    new Miss(f + ": the port as source port", f, f.open(f.client(), DATA_PORT, f.server(), CPORT),
                            Stat.DROP_POLICY),
                    new Miss(f + ": another protocol (UDP)", f, udp.fromClient(CPORT), Stat.DROP_POLICY),
                    new Miss(f + ": the other direction", f, f.open(f.server(), CPORT, f.client(), DATA_PORT),
                            Stat.DROP_POLICY),
                    new Miss(f + ": a segment other than a SYN", f,
                            ack.tcp(CPORT, DATA_PORT).ack().seq(8).payload("x").build(), Stat.DROP_TCP_NO_CONN));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misses")
    void onlyTheExpectedFlowMatches(Miss miss) {
        Flow f = miss.flow();
        Expect e = Expect.pass(fresh(), PARENT_CONN, PARENT_RULE);
        expect(f, e);
        var run = send(Role.EXTERNAL, miss.frame());
        assertEquals(XdpAction.DROP, run.action());
        assertEquals(1, dp.count(miss.reason()), miss.description());
        assertEquals(1, dp.count(Stat.DROP));
        assertEquals(0, dp.count(Stat.EXPECT_HIT));
        assertTrue(dp.tables().conns().keys().isEmpty());
        assertEquals(List.of(f.key()), dp.tables().expects().keys(), "the expectation is not spent");

        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.fromClient(CPORT)).action(),
                "the expected flow still gets it");
        assertEquals(1, dp.count(Stat.EXPECT_HIT));
    }

    /** tcp-strict off: a mid-stream segment reaches the new-flow path, and must not spend the expectation. */
    @Test
    void aMidstreamSegmentDoesNotClaimWithPickup() {
        try (Datapath pickup = Datapath.load(new LoadTimeSettings(false, true, 0, 0, false)::applyTo)) {
            pickup.reset();
            pickup.policy(Action.DROP, Rule.builder(DROP_RULE).drop().build());
            pickup.tables().expects().put(TCP4.key(), Expect.pass(fresh(), PARENT_CONN, PARENT_RULE));
            byte[] midstream = new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(CPORT, DATA_PORT).ack().payload("x")
                    .build();
            assertEquals(XdpAction.DROP, pickup.run(midstream).action(), "the rules judge it");
            assertEquals(1, pickup.count(Stat.DROP_POLICY));
            assertEquals(0, pickup.count(Stat.EXPECT_HIT));
            assertEquals(List.of(TCP4.key()), pickup.tables().expects().keys());
            assertEquals(XdpAction.PASS, pickup.run(TCP4.fromClient(CPORT)).action(), "the SYN claims it");
            assertEquals(1, pickup.count(Stat.EXPECT_HIT));
        }
    }

    /** Only pass and redirect are expectations: another action (never written) is left alone. */
    @Test
    void anEntryThatIsNeitherPassNorRedirectIsLeftToTheRules() {
        dp.policy(Action.DROP, Rule.builder(7).tcp().ports(Integer.toString(DATA_PORT)).pass().build());
        expect(TCP4, new Expect(fresh(), PARENT_CONN, PARENT_RULE, 0, Action.DROP));
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, TCP4.fromClient(CPORT)).action(), "the rules pass it");
        assertEquals(7, dp.tables().conns().get(TCP4.orig(CPORT)).orElseThrow().ruleId());
        assertEquals(0, dp.count(Stat.EXPECT_HIT));
        assertEquals(List.of(TCP4.key()), dp.tables().expects().keys());
    }

    // ---- expiry

    static Stream<Arguments> expiredCases() {
        return flows().flatMap(f -> Stream.of(Arguments.of(f, "rules drop"), Arguments.of(f, "rules pass")));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("expiredCases")
    void anExpiredExpectationIsDeletedCountedAndIgnored(Flow f, String rules) {
        boolean pass = rules.equals("rules pass");
        if (pass) {
            var rule = Rule.builder(7);
            dp.policy(Action.DROP,
                    (f.proto() == TCP ? rule.tcp() : rule.udp()).ports(Integer.toString(DATA_PORT)).pass().build());
        }
        expect(f, Expect.pass(EXPIRED, PARENT_CONN, PARENT_RULE));
        var run = send(Role.EXTERNAL, f.fromClient(CPORT));
        assertEquals(1, dp.count(Stat.EXPECT_EXPIRED));
        assertEquals(0, dp.count(Stat.EXPECT_HIT));
        assertTrue(dp.tables().expects().keys().isEmpty(), "deleted where it was found");
        if (pass) {
            assertEquals(XdpAction.PASS, run.action(), "classified by the rules as usual");
            assertEquals(7, dp.tables().conns().get(f.orig(CPORT)).orElseThrow().ruleId(),
                    "the rule's, not the parent's");
        } else {
            assertRefusedByTheRules(run, "an expired expectation");
            assertTrue(dp.tables().conns().keys().isEmpty());
        }

        send(Role.EXTERNAL, f.fromClient(CPORT + 1));
        assertEquals(1, dp.count(Stat.EXPECT_EXPIRED), "counted once: it is gone");
    }

    // ---- redirect

    private static Meta metaAtGateway(Datapath.Run redirected) {
        dp.role(Role.GATEWAY, GW);
        var at = dp.runXsk(redirected.packet());
        assertEquals(XdpAction.DROP, at.action(), "no socket in a test");
        assertEquals(32, at.metadata().length, "struct xg_meta in front of the frame");
        return Meta.CODEC.fromBytes(at.metadata());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aRedirectExpectationSendsTheFlowToItsGateway(Flow f) {
        expect(f, Expect.redirect(fresh(), PARENT_CONN, PARENT_RULE, GW));
        byte[] first = f.fromClient(CPORT);
        var run = send(Role.EXTERNAL, first);
        assertEquals(XdpAction.REDIRECT, run.action());

        PacketView out = PacketView.parse(run.packet());
        int gwPort = out.dstPort();
        assertTrue(gwPort >= POOL_BASE && gwPort < POOL_BASE + POOL, "port " + gwPort + " from the gateway's pool");
        assertArrayEquals(Arrays.copyOfRange(f.toGateway(CPORT, gwPort), 12, first.length),
                Arrays.copyOfRange(run.packet(), 12, run.packet().length), "NAT to the gateway, byte for byte");
        assertEquals(Datapath.GW_MAC, MacAddr.of(Arrays.copyOfRange(run.packet(), 0, 6)));
        assertEquals(Datapath.GW_LOCAL_MAC, MacAddr.of(Arrays.copyOfRange(run.packet(), 6, 12)));
        var checksums = ChecksumVerifier.verify(run.packet());
        assertTrue(checksums.allCorrect(), checksums.toString());

        Tuple orig = f.orig(CPORT);
        Tuple nat = Tuple.of(inet(f.client()), CPORT, inet(f.gatewayAddress()), gwPort, f.proto());
        Conn conn = dp.tables().conns().get(orig).orElseThrow();
        assertEquals(Action.REDIRECT, conn.verdict());
        assertEquals(GW, conn.gwId());
        assertEquals(PARENT_RULE, conn.ruleId());
        assertEquals(nat, conn.nat());
        var natRev = dp.tables().natRev().entries();
        assertEquals(1, natRev.size());
        assertEquals(new NatKey(GW, gwPort, 0, f.proto()), natRev.get(0).key());
        assertEquals(orig, natRev.get(0).value());
        assertTrue(dp.tables().expects().keys().isEmpty());

        assertEquals(1, dp.count(Stat.EXPECT_HIT));
        assertEquals(1, dp.count(Stat.REDIRECT));
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(0, dp.count(Stat.DROP));
        List<Event> events = dp.events();
        assertEquals(1, events.size(), events.toString());
        Event ev = events.get(0);
        assertEquals(EventType.REDIRECT, ev.type());
        assertEquals(orig, ev.orig());
        assertEquals(nat, ev.nat());
        assertEquals(PARENT_RULE, ev.ruleId());
        assertEquals(GW, ev.gwId());

        assertEquals(Meta.of(conn.id(), ip(f.server()), DATA_PORT, Abi.XG_DIR_ORIG, 0), metaAtGateway(run));

        var reply = send(Role.INTERNAL, f.fromServer(CPORT));
        assertEquals(XdpAction.REDIRECT, reply.action(), "the answer goes to the gateway too");
        assertEquals(inet(f.gatewayAddress()), PacketView.parse(reply.packet()).srcAddress());
        assertEquals(gwPort, PacketView.parse(reply.packet()).srcPort());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aRedirectExpectationToAGatewayThatIsDownFailsClosed(Flow f) {
        dp.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, POOL, 0));
        expect(f, Expect.redirect(fresh(), PARENT_CONN, PARENT_RULE, GW));
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, f.fromClient(CPORT)).action());
        assertEquals(1, dp.count(Stat.DROP_GW_DOWN));
        assertEquals(1, dp.count(Stat.DROP));
        assertEquals(1, dp.count(Stat.EXPECT_HIT), "claimed, then refused on the gateway's account");
        assertTrue(dp.tables().conns().keys().isEmpty());
        assertTrue(dp.tables().natRev().keys().isEmpty(), "no slot claimed");
        Event ev = dp.events().get(0);
        assertEquals(EventType.DROP, ev.type());
        assertEquals(Stat.DROP_GW_DOWN, ev.reason());
        assertEquals(PARENT_RULE, ev.ruleId());
        assertEquals(GW, ev.gwId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aRedirectExpectationToAGatewayThatIsDownFailsOpen(Flow f) {
        dp.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, POOL, Abi.XG_GW_F_FAIL_OPEN));
        expect(f, Expect.redirect(fresh(), PARENT_CONN, PARENT_RULE, GW));
        byte[] first = f.fromClient(CPORT);
        var run = send(Role.EXTERNAL, first);
        assertEquals(XdpAction.PASS, run.action());
        assertArrayEquals(first, run.packet(), "not rewritten");
        assertEquals(1, dp.count(Stat.GW_BYPASS));
        Conn c = dp.tables().conns().get(f.orig(CPORT)).orElseThrow();
        assertEquals(Action.PASS, c.verdict());
        assertEquals(PARENT_RULE, c.ruleId());
        assertTrue(dp.tables().natRev().keys().isEmpty());
    }

    @Test
    void aRedirectExpectationToAGatewayWithoutAnAddressOfTheFamilyRefuses() {
        dp.gateway(GW, Datapath.gateway(GATEWAY4, null, POOL_BASE, POOL, Abi.XG_GW_F_ACTIVE));
        expect(TCP6, Expect.redirect(fresh(), PARENT_CONN, PARENT_RULE, GW));
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, TCP6.fromClient(CPORT)).action());
        assertEquals(1, dp.count(Stat.DROP_GW_NO_ADDR));
        assertTrue(dp.tables().natRev().keys().isEmpty());
    }

    /** Each expected flow gets its own pool port, as any redirected flow. */
    @Test
    void redirectedExpectedFlowsTakePortsOfThePool() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            dp.tables().expects().put(ExpectKey.of(inet(CLIENT4), inet(SERVER4), DATA_PORT + i, TCP),
                    Expect.redirect(fresh(), PARENT_CONN, PARENT_RULE, GW));
            var run = send(Role.EXTERNAL, TCP4.open(CLIENT4, CPORT, SERVER4, DATA_PORT + i));
            assertEquals(XdpAction.REDIRECT, run.action(), "flow " + i);
            ports.add(PacketView.parse(run.packet()).dstPort());
        }
        assertEquals(10, ports.size(), "ten flows, ten pool ports");
        assertEquals(10, dp.tables().natRev().keys().size());
        assertEquals(10, dp.count(Stat.EXPECT_HIT));
    }
}
