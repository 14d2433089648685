package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.CLIENT6;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY4;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.SERVER6;
import static io.xdpgate.datapath.kernel.Addresses.inet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Expect;
import io.xdpgate.abi.ExpectKey;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.LoadTimeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Paired ports (a rule's pairedPort, expect_pair in bpf/src/expect.h): a flow a rule with a paired
 * port admits writes an expectation for the same source and destination at its port + the
 * offset, same protocol and action, so that port's first flow is admitted once although no rule
 * allows it; another source or destination is not; a flow admitted by an expectation opens no
 * pair (no chains); an existing expectation is not overwritten; past cfg_pair_ttl_ns it is not used.
 */
class PairKernelTest extends DatapathSuite {
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int MEDIA_RULE = 5;      // tcp/udp 5004, pairedPort +1, pass
    private static final int RANGE_RULE = 6;      // 6000-6009, pairedPort -1, pass
    private static final int LOW_RULE = 7;        // port 1, pairedPort -1: port 0 is no port
    private static final int REDIRECT_RULE = 8;   // 7000, pairedPort +1, redirect to GW
    private static final int PLAIN_RULE = 9;      // 8000, no pair
    private static final int MEDIA = 5004;
    private static final int GW = 1;
    private static final int POOL_BASE = 41000;
    private static final int POOL = 100;
    private static final int CPORT = 50001;
    private static final String OTHER_CLIENT4 = "198.18.1.3";
    private static final String OTHER_CLIENT6 = "2001:db8:1::3";
    private static final String OTHER_SERVER4 = "198.18.2.3";
    private static final String OTHER_SERVER6 = "2001:db8:2::3";

    private static List<Rule> rules(int proto) {
        String p = proto == TCP ? "tcp" : "udp";
        return List.of(
                Rule.builder(MEDIA_RULE).protocol(p).ports(String.valueOf(MEDIA)).pass().pairedPort(1).build(),
                Rule.builder(RANGE_RULE).protocol(p).ports("6000-6009").pass().pairedPort(-1).build(),
                Rule.builder(LOW_RULE).protocol(p).ports("1").pass().pairedPort(-1).build(),
                Rule.builder(REDIRECT_RULE).protocol(p).ports("7000").redirect(GW).pairedPort(1).build(),
                Rule.builder(PLAIN_RULE).protocol(p).ports("8000").pass().build());
    }

    /** Both protocols' rules; the default drops. */
    private static void policy(Datapath d) {
        List<Rule> all = new ArrayList<>();
        for (Rule r : rules(TCP)) {
            all.add(r);
        }
        for (Rule r : rules(UDP)) {
            all.add(new Rule(r.id() + 100, r.name(), r.src(), r.dst(), r.protocol(), r.ports(), r.role(), r.action(),
                    r.gatewayId(), r.pairedPort()));
        }
        d.policy(Action.DROP, all.toArray(new Rule[0]));
    }

    @BeforeEach
    void pairedRules() {
        dp.reset();
        policy(dp);
        dp.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, POOL, Abi.XG_GW_F_ACTIVE));
    }

    record Flow(String name, String client, String server, int proto) {
        boolean v6() {
            return client.contains(":");
        }

        /** The rule id in the policy: the UDP copies are 100 further. */
        int rule(int id) {
            return proto == TCP ? id : id + 100;
        }

        byte[] open(String src, int sport, String dst, int dport) {
            PacketBuilder b = v6() ? new PacketBuilder().ipv6(src, dst) : new PacketBuilder().ipv4(src, dst);
            return proto == TCP ? b.tcp(sport, dport).syn().seq(7).build() : b.udp(sport, dport).payload("rtp").build();
        }

        byte[] to(int sport, int dport) {
            return open(client, sport, server, dport);
        }

        ExpectKey key(int dport) {
            return ExpectKey.of(inet(client), inet(server), dport, proto);
        }

        Tuple orig(int sport, int dport) {
            return Tuple.of(inet(client), sport, inet(server), dport, proto);
        }

        String otherClient() {
            return v6() ? OTHER_CLIENT6 : OTHER_CLIENT4;
        }

        String otherServer() {
            return v6() ? OTHER_SERVER6 : OTHER_SERVER4;
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
        return Stream.of(UDP4, UDP6, TCP4, TCP6);
    }

    private static Datapath.Run send(Role role, byte[] frame) {
        dp.role(role);
        return dp.run(frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aFlowByAPairedRuleExpectsTheNextPort(Flow f) {
        long before = System.nanoTime();
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, MEDIA)).action());
        long after = System.nanoTime();
        Conn parent = dp.tables().conns().get(f.orig(CPORT, MEDIA)).orElseThrow();
        assertEquals(List.of(f.key(MEDIA + 1)), dp.tables().pairs().keys(), "same source and destination, port + 1");
        Expect e = dp.tables().pairs().get(f.key(MEDIA + 1)).orElseThrow();
        assertEquals(Action.PASS, e.action());
        assertEquals(f.rule(MEDIA_RULE), e.ruleId());
        assertEquals(parent.id(), e.parentId());
        assertEquals(0, e.gwId());
        long ttl = LoadTimeSettings.DEFAULT_PAIR_TTL_NS;
        // the coarse clock lags by up to a tick (4 ms at HZ=250)
        assertTrue(e.expiresNs() >= before + ttl - TimeUnit.MILLISECONDS.toNanos(50)
                && e.expiresNs() <= after + ttl, "expires 30 s after the flow: " + e.expiresNs() + " vs " + before);
        assertEquals(1, dp.count(Stat.PAIR_EXPECTED));
        assertEquals(0, dp.count(Stat.PAIR_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void theNextPortIsAdmittedOnceFromAnySourcePortAndOpensNoPairItself(Flow f) {
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, MEDIA)).action());
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT + 7, MEDIA + 1)).action(),
                "no rule allows 5005, the expectation does");
        Conn paired = dp.tables().conns().get(f.orig(CPORT + 7, MEDIA + 1)).orElseThrow();
        assertEquals(Action.PASS, paired.verdict());
        assertEquals(f.rule(MEDIA_RULE), paired.ruleId(), "attributed to the rule that paired it");
        assertTrue(dp.tables().pairs().keys().isEmpty(), "spent, and no expectation for 5006: pairs do not chain");
        assertEquals(1, dp.count(Stat.EXPECT_HIT));
        assertEquals(1, dp.count(Stat.PAIR_EXPECTED));

        var again = send(Role.EXTERNAL, f.to(CPORT + 8, MEDIA + 1));
        assertEquals(XdpAction.DROP, again.action(), "once");
        assertEquals(1, dp.count(Stat.DROP_DEFAULT));
        var next = send(Role.EXTERNAL, f.to(CPORT + 9, MEDIA + 2));
        assertEquals(XdpAction.DROP, next.action(), "the pair's pair was never expected");
        assertEquals(2, dp.count(Stat.DROP_DEFAULT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void withoutTheFirstFlowTheNextPortIsDropped(Flow f) {
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, f.to(CPORT, MEDIA + 1)).action());
        assertEquals(1, dp.count(Stat.DROP_DEFAULT));
        assertTrue(dp.tables().pairs().keys().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void onlyTheSameSourceAndDestinationMatch(Flow f) {
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, MEDIA)).action());
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, f.open(f.otherClient(), CPORT, f.server(), MEDIA + 1)).action(),
                "another source");
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, f.open(f.client(), CPORT, f.otherServer(), MEDIA + 1)).action(),
                "another destination");
        Flow otherProto = new Flow(f.name(), f.client(), f.server(), f.proto() == TCP ? UDP : TCP);
        assertEquals(XdpAction.DROP, send(Role.EXTERNAL, otherProto.to(CPORT, MEDIA + 1)).action(), "another protocol");
        assertEquals(3, dp.count(Stat.DROP_DEFAULT));
        assertEquals(0, dp.count(Stat.EXPECT_HIT));
        assertEquals(List.of(f.key(MEDIA + 1)), dp.tables().pairs().keys(), "still there for its own source");
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, MEDIA + 1)).action());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void anExistingExpectationIsNotOverwritten(Flow f) {
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, MEDIA)).action());
        Expect first = dp.tables().pairs().get(f.key(MEDIA + 1)).orElseThrow();
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT + 1, MEDIA)).action(), "a second flow to 5004");
        assertEquals(first, dp.tables().pairs().get(f.key(MEDIA + 1)).orElseThrow(), "the first flow's, unchanged");
        assertEquals(1, dp.count(Stat.PAIR_EXPECTED));
        assertEquals(1, dp.count(Stat.PAIR_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aPortRangePairsEachFlowsOwnPortAndANegativeOffsetGoesDown(Flow f) {
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, 6003)).action());
        assertEquals(List.of(f.key(6002)), dp.tables().pairs().keys());
        assertEquals(f.rule(RANGE_RULE), dp.tables().pairs().get(f.key(6002)).orElseThrow().ruleId());
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT + 1, 6002)).action(), "6002 is in the range anyway");
        assertEquals(1, dp.count(Stat.EXPECT_HIT), "but the expectation claimed it first, so it paired nothing");
        assertTrue(dp.tables().pairs().keys().isEmpty());
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, 6000)).action());
        assertEquals(List.of(f.key(5999)), dp.tables().pairs().keys());
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, 5999)).action(), "below the range, expected");
        assertEquals(2, dp.count(Stat.PAIR_EXPECTED));
        assertEquals(2, dp.count(Stat.EXPECT_HIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aPairBelowPortOneIsNoPair(Flow f) {
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, 1)).action());
        assertTrue(dp.tables().pairs().keys().isEmpty(), "port 0 is expected by nobody");
        assertEquals(0, dp.count(Stat.PAIR_EXPECTED));
        assertEquals(1, dp.count(Stat.PAIR_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aRuleWithoutAPairedPortExpectsNothing(Flow f) {
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, 8000)).action());
        assertTrue(dp.tables().pairs().keys().isEmpty());
        assertEquals(0, dp.count(Stat.PAIR_EXPECTED) + dp.count(Stat.PAIR_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aRedirectRulesPairGoesToTheSameGateway(Flow f) {
        var run = send(Role.EXTERNAL, f.to(CPORT, 7000));
        assertEquals(XdpAction.REDIRECT, run.action());
        Conn parent = dp.tables().conns().get(f.orig(CPORT, 7000)).orElseThrow();
        Expect e = dp.tables().pairs().get(f.key(7001)).orElseThrow();
        assertEquals(Action.REDIRECT, e.action());
        assertEquals(GW, e.gwId());
        assertEquals(parent.id(), e.parentId());
        assertEquals(f.rule(REDIRECT_RULE), e.ruleId());

        var paired = send(Role.EXTERNAL, f.to(CPORT + 3, 7001));
        assertEquals(XdpAction.REDIRECT, paired.action(), "no rule allows 7001; it goes to the gateway");
        int gwPort = PacketView.parse(paired.packet()).dstPort();
        assertTrue(gwPort >= POOL_BASE && gwPort < POOL_BASE + POOL);
        assertEquals(inet(f.v6() ? GATEWAY6 : GATEWAY4), PacketView.parse(paired.packet()).dstAddress());
        Conn c = dp.tables().conns().get(f.orig(CPORT + 3, 7001)).orElseThrow();
        assertEquals(Action.REDIRECT, c.verdict());
        assertEquals(GW, c.gwId());
        assertEquals(2, dp.count(Stat.REDIRECT));
        assertEquals(1, dp.count(Stat.PAIR_EXPECTED), "the paired flow opened no pair of its own");
        assertEquals(1, dp.count(Stat.EXPECT_HIT));
        assertTrue(dp.tables().pairs().keys().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void aGatewaysExpectationForThatPortIsClaimedFirst(Flow f) {
        int gatewayRule = 42;
        dp.tables().expects().put(f.key(MEDIA + 1),
                Expect.pass(System.nanoTime() + TimeUnit.DAYS.toNanos(1), 12345, gatewayRule));
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT, MEDIA)).action());
        assertEquals(List.of(f.key(MEDIA + 1)), dp.tables().pairs().keys(), "the pair is written beside it");
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT + 1, MEDIA + 1)).action());
        assertEquals(gatewayRule, dp.tables().conns().get(f.orig(CPORT + 1, MEDIA + 1)).orElseThrow().ruleId(),
                "the gateway's expectation decided");
        assertTrue(dp.tables().expects().keys().isEmpty(), "spent");
        assertEquals(List.of(f.key(MEDIA + 1)), dp.tables().pairs().keys(), "the pair waits for a second flow");
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, f.to(CPORT + 2, MEDIA + 1)).action(), "and takes it");
        assertEquals(f.rule(MEDIA_RULE), dp.tables().conns().get(f.orig(CPORT + 2, MEDIA + 1)).orElseThrow().ruleId());
        assertEquals(2, dp.count(Stat.EXPECT_HIT));
    }

    /**
     * Paired rules admit flows from anyone the policy allows, spoofed sources included: their
     * expectations live in their own LRU table, so a flood of them evicts old pairs and never takes
     * the gateways' room (a full expects), and a full pairs table still takes the newest pair.
     * Unrecorded: tens of thousands of entries.
     */
    @Test
    void pairsNeverTakeTheGatewaysRoomAndAFullPairTableEvictsTheOldest() {
        try (Datapath d = Datapath.loadUnrecorded()) {
            d.reset();
            policy(d);
            d.role(Role.EXTERNAL);
            long later = System.nanoTime() + TimeUnit.DAYS.toNanos(1);
            for (int i = 0; i < Abi.XG_MAX_EXPECTS; i++) {
                d.tables().expects().put(ExpectKey.of(inet(CLIENT4), inet(SERVER4), 10_000 + i, TCP),
                        Expect.pass(later, 1, 1));
            }
            assertEquals(XdpAction.PASS, d.run(UDP4.to(CPORT, MEDIA)).action());
            assertEquals(1, d.count(Stat.PAIR_EXPECTED), "the gateways' table is full; the pairs' is not");
            assertEquals(Abi.XG_MAX_EXPECTS, d.tables().expects().keys().size());

            for (int i = 0; i < Abi.XG_MAX_PAIRS; i++) {
                int a = i + 1;
                d.tables().pairs().put(ExpectKey.of(inet("198.18.100." + (a & 0xff)), inet(SERVER4),
                        20_000 + (a >> 8), UDP), Expect.pass(later, 1, 1));
            }
            assertEquals(XdpAction.PASS, d.run(UDP6.to(CPORT, MEDIA)).action());
            assertEquals(2, d.count(Stat.PAIR_EXPECTED), "a full pairs table takes the newest");
            assertEquals(0, d.count(Stat.PAIR_FAILED));
            assertTrue(d.tables().pairs().get(UDP6.key(MEDIA + 1)).isPresent());
            assertEquals(XdpAction.PASS, d.run(UDP6.to(CPORT + 1, MEDIA + 1)).action(), "and it is claimed");
        }
    }

    /**
     * Unrecorded: the kernel's coarse clock moves once a tick, so the pair needs a pause to expire,
     * and a replay has no step that waits.
     */
    @Test
    void aPairPastItsTimeIsNotUsed() throws InterruptedException {
        try (Datapath shortLived = Datapath.loadUnrecorded(LoadTimeSettings.DEFAULTS.withPairTtlNs(1)::applyTo)) {
            shortLived.reset();
            policy(shortLived);
            for (Flow f : List.of(UDP4, TCP6)) {
                shortLived.role(Role.EXTERNAL);
                assertEquals(XdpAction.PASS, shortLived.run(f.to(CPORT, MEDIA)).action());
                Expect e = shortLived.tables().pairs().get(f.key(MEDIA + 1)).orElseThrow();
                Thread.sleep(25); // a few ticks of bpf_ktime_get_coarse_ns at any HZ
                assertTrue(e.expiresNs() < System.nanoTime(), "1 ns: past");
                assertEquals(XdpAction.DROP, shortLived.run(f.to(CPORT, MEDIA + 1)).action(), "expired, so the rules");
            }
            assertEquals(2, shortLived.count(Stat.PAIR_EXPECTED));
            assertEquals(2, shortLived.count(Stat.EXPECT_EXPIRED));
            assertEquals(0, shortLived.count(Stat.EXPECT_HIT));
            assertEquals(2, shortLived.count(Stat.DROP_DEFAULT));
            assertTrue(shortLived.tables().pairs().keys().isEmpty(), "deleted where found");
        }
    }

    @Test
    void theTimeToLiveIsTheLoadTimeSetting() {
        long ttl = TimeUnit.SECONDS.toNanos(5);
        try (Datapath five = Datapath.load(LoadTimeSettings.DEFAULTS.withPairTtlNs(ttl)::applyTo)) {
            five.reset();
            policy(five);
            five.role(Role.EXTERNAL);
            long before = System.nanoTime();
            assertEquals(XdpAction.PASS, five.run(UDP4.to(CPORT, MEDIA)).action());
            long after = System.nanoTime();
            long expires = five.tables().pairs().get(UDP4.key(MEDIA + 1)).orElseThrow().expiresNs();
            assertTrue(expires >= before + ttl - TimeUnit.MILLISECONDS.toNanos(50) && expires <= after + ttl,
                    "5 s after the flow");
            assertEquals(XdpAction.PASS, five.run(UDP4.to(CPORT + 1, MEDIA + 1)).action());
        }
    }
}
