package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.CLIENT6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.SERVER6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.Classification;
import io.xdpgate.datapath.policy.NaiveClassifier;
import io.xdpgate.datapath.policy.PacketFields;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.PolicyTooLargeException;
import io.xdpgate.datapath.policy.RoleFilter;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.policy.RuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classification in the kernel: first match wins, CIDR and port edges, IPv6, roles, the default
 * action, 10,000 rules, the atomic swap, and a randomized comparison with the reference linear
 * first-match classifier.
 */
class PolicyKernelTest extends DatapathSuite {
    private static final int GW = 0;
    private static int nextPort = 10000;


    @BeforeEach
    void blank() {
        dp.reset();
        dp.gateway(GW, Datapath.gateway(Addresses.GATEWAY4, Addresses.GATEWAY6, 40000, 20000, Abi.XG_GW_F_ACTIVE));
    }

    /** A new flow's packet: its family, protocol and ports, the role it arrives on. */
    record Probe(String src, String dst, int protocol, int port, Role role) {
        byte[] frame() {
            var b = new PacketBuilder();
            boolean v6 = src.contains(":");
            if (v6) {
                b.ipv6(src, dst);
            } else {
                b.ipv4(src, dst);
            }
            int sport = nextPort++;
            return switch (protocol) {
                case 6 -> b.tcp(sport, port).syn().build();
                case 17 -> b.udp(sport, port).payload("x").build();
                case 1 -> port == 8 ? b.icmpEchoRequest(sport, 1).build() : b.icmp(port, 0).payload(new byte[8]).build();
                case 58 -> port == 128 ? b.icmpv6EchoRequest(sport, 1).build() : b.icmpv6(port, 0).payload(new byte[8]).build();
                default -> throw new IllegalArgumentException("protocol " + protocol);
            };
        }

        PacketFields fields() {
            return PacketFields.of(src, dst, protocol, port, role);
        }
    }

    /** Sends the probe and says what the kernel decided, in the reference classifier's terms. */
    private static Classification classifyInKernel(Probe probe) {
        dp.role(probe.role());
        dp.tables().resetCounters();
        dp.events();
        byte[] frame = probe.frame();
        var run = dp.run(frame);
        List<Event> events = dp.events();
        switch (run.action()) {
            case DROP -> {
                boolean byDefault = dp.count(Stat.DROP_DEFAULT) == 1;
                assertTrue(byDefault || dp.count(Stat.DROP_POLICY) == 1, "a refused new flow is a policy or default drop");
                int ruleId = events.isEmpty() ? Classification.DEFAULT_RULE_ID : events.get(0).ruleId();
                return new Classification(byDefault ? Classification.DEFAULT_POSITION : -2, ruleId, Action.DROP, 0);
            }
            case PASS, REDIRECT -> {
                Action action = run.action() == XdpAction.PASS ? Action.PASS : Action.REDIRECT;
                int ruleId = events.stream().filter(e -> e.type() != EventType.DROP).mapToInt(Event::ruleId)
                        .findFirst().orElse(Integer.MIN_VALUE);
                if (ruleId == Integer.MIN_VALUE) {
                    // ICMP other than echo passes statelessly: no entry, no event
                    assertEquals(1, dp.count(Stat.STATELESS), "a pass without an event is a stateless ICMP pass");
                }
                return new Classification(0, ruleId, action, action == Action.REDIRECT ? GW : 0);
            }
            default -> throw new AssertionError("unexpected action " + run.action() + " for " + probe);
        }
    }

    private static void assertDecision(List<Rule> rules, Action dflt, Probe probe) {
        Classification expected = NaiveClassifier.firstMatch(rules, probe.fields(), dflt);
        Classification actual = classifyInKernel(probe);
        assertEquals(expected.action(), actual.action(), () -> probe + " against " + rules);
        if (actual.ruleId() != Integer.MIN_VALUE) {
            assertEquals(expected.ruleId(), actual.ruleId(), () -> "rule id for " + probe + " against " + rules);
        }
    }

    record Row(String description, List<Rule> rules, Action dflt, Probe probe, Action action, int ruleId) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static RuleBuilder rule(int id) {
        return Rule.builder(id);
    }

    static Stream<Row> table() {
        Probe web4 = new Probe(CLIENT4, SERVER4, 6, 80, Role.EXTERNAL);
        Probe web6 = new Probe(CLIENT6, SERVER6, 6, 80, Role.EXTERNAL);
        List<Rule> dropThenPass = List.of(rule(1).tcp().ports("80").drop().build(), rule(2).pass().build());
        List<Rule> passThenDrop = List.of(rule(1).tcp().ports("80").pass().build(), rule(2).tcp().drop().build());
        List<Rule> subnet = List.of(rule(7).dst("198.18.2.0/24").pass().build());
        List<Rule> range = List.of(rule(3).tcp().ports("1000-2000").pass().build());
        List<Rule> internalOnly = List.of(rule(4).role(RoleFilter.INTERNAL).pass().build());
        List<Rule> v6 = List.of(rule(5).src("2001:db8:1::/48").tcp().pass().build());
        List<Rule> icmp = List.of(rule(6).protocol("icmp").ports("8").pass().build());
        List<Rule> redirect = List.of(rule(8).dst("198.18.2.0/24").tcp().ports("80").redirect(GW).build());
        return Stream.of(
                new Row("default drop", List.of(), Action.DROP, web4, Action.DROP, -1),
                new Row("default pass", List.of(), Action.PASS, web4, Action.PASS, -1),
                new Row("drop rule before pass rule", dropThenPass, Action.PASS, web4, Action.DROP, 1),
                new Row("pass rule before drop rule", passThenDrop, Action.DROP, web4, Action.PASS, 1),
                new Row("later rule when the first does not match",
                        passThenDrop, Action.PASS, new Probe(CLIENT4, SERVER4, 6, 443, Role.EXTERNAL),
                        Action.DROP, 2),
                new Row("first address of a /24", subnet, Action.DROP,
                        new Probe(CLIENT4, "198.18.2.0", 6, 80, Role.EXTERNAL), Action.PASS, 7),
                new Row("last address of a /24", subnet, Action.DROP,
                        new Probe(CLIENT4, "198.18.2.255", 6, 80, Role.EXTERNAL), Action.PASS, 7),
                new Row("just below a /24", subnet, Action.DROP,
                        new Probe(CLIENT4, "198.18.1.255", 6, 80, Role.EXTERNAL), Action.DROP, -1),
                new Row("just above a /24", subnet, Action.DROP,
                        new Probe(CLIENT4, "198.18.3.0", 6, 80, Role.EXTERNAL), Action.DROP, -1),
                new Row("port range low edge", range, Action.DROP,
                        new Probe(CLIENT4, SERVER4, 6, 1000, Role.EXTERNAL), Action.PASS, 3),
                new Row("port range high edge", range, Action.DROP,
                        new Probe(CLIENT4, SERVER4, 6, 2000, Role.EXTERNAL), Action.PASS, 3),
                new Row("port below the range", range, Action.DROP,
                        new Probe(CLIENT4, SERVER4, 6, 999, Role.EXTERNAL), Action.DROP, -1),
                new Row("port above the range", range, Action.DROP,
                        new Probe(CLIENT4, SERVER4, 6, 2001, Role.EXTERNAL), Action.DROP, -1),
                new Row("same port, other protocol", range, Action.DROP,
                        new Probe(CLIENT4, SERVER4, 17, 1500, Role.EXTERNAL), Action.DROP, -1),
                new Row("role internal matches internal", internalOnly, Action.DROP,
                        new Probe(SERVER4, CLIENT4, 6, 80, Role.INTERNAL), Action.PASS, 4),
                new Row("role internal does not match external", internalOnly, Action.DROP, web4, Action.DROP, -1),
                new Row("IPv6 /48 source", v6, Action.DROP, web6, Action.PASS, 5),
                new Row("IPv6 outside the /48", v6, Action.DROP,
                        new Probe("2001:db8:2::9", SERVER6, 6, 80, Role.EXTERNAL), Action.DROP, -1),
                new Row("IPv4 prefix never matches IPv6", subnet, Action.DROP, web6, Action.DROP, -1),
                new Row("ICMP echo request by type", icmp, Action.DROP,
                        new Probe(CLIENT4, SERVER4, 1, 8, Role.EXTERNAL), Action.PASS, 6),
                new Row("ICMP of another type", icmp, Action.DROP,
                        new Probe(CLIENT4, SERVER4, 1, 13, Role.EXTERNAL), Action.DROP, -1),
                new Row("redirect rule", redirect, Action.DROP, web4, Action.REDIRECT, 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void classifies(Row row) {
        dp.policy(row.dflt(), row.rules().toArray(Rule[]::new));
        Classification actual = classifyInKernel(row.probe());
        assertEquals(row.action(), actual.action(), row.description());
        assertEquals(row.ruleId(), actual.ruleId(), row.description() + ": rule id");
        assertDecision(row.rules(), row.dflt(), row.probe());
    }

    @Test
    void passedFlowRemembersItsRule() {
        dp.policy(Action.DROP, rule(41).tcp().ports("80").pass().build());
        dp.run(new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(33333, 80).syn().build());
        Tuple t = Tuple.of(Addresses.inet(CLIENT4), 33333, Addresses.inet(SERVER4), 80, 6);
        Conn conn = dp.tables().conns().get(t).orElseThrow();
        assertEquals(41, conn.ruleId());
        assertEquals(Role.EXTERNAL, conn.inRole());
    }

    @Test
    void tenThousandRules() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 9999; i++) {
            String dst = "198.18." + (i / 250) + "." + (1 + i % 250);
            var b = rule(i).dst(dst + "/32").tcp().ports(Integer.toString(1000 + i % 3000));
            rules.add((i % 2 == 0 ? b.drop() : b.pass()).build());
        }
        rules.add(rule(9999).dst("198.18.0.0/16").udp().pass().build());
        dp.policy(Action.DROP, rules.toArray(Rule[]::new));
        for (int i : new int[] {0, 1, 4999, 5000, 9997, 9998}) {
            String dst = "198.18." + (i / 250) + "." + (1 + i % 250);
            assertDecision(rules, Action.DROP, new Probe(CLIENT4, dst, 6, 1000 + i % 3000, Role.EXTERNAL));
            assertDecision(rules, Action.DROP, new Probe(CLIENT4, dst, 6, 1001 + i % 3000, Role.EXTERNAL));
        }
        assertDecision(rules, Action.DROP, new Probe(CLIENT4, "198.18.77.77", 17, 53, Role.EXTERNAL));
        assertDecision(rules, Action.DROP, new Probe(CLIENT4, "198.19.0.1", 17, 53, Role.EXTERNAL));
    }

    @Test
    void swapIsWholeAndRepeatable() {
        List<Rule> a = List.of(rule(1).tcp().ports("80").pass().build());
        List<Rule> b = List.of(rule(2).tcp().ports("443").pass().build());
        Probe http = new Probe(CLIENT4, SERVER4, 6, 80, Role.EXTERNAL);
        Probe https = new Probe(CLIENT4, SERVER4, 6, 443, Role.EXTERNAL);
        for (int round = 0; round < 3; round++) {
            dp.policy(Action.DROP, a.toArray(Rule[]::new));
            assertEquals(Action.PASS, classifyInKernel(http).action(), "policy A, round " + round);
            assertEquals(Action.DROP, classifyInKernel(https).action(), "policy A, round " + round);
            dp.policy(Action.DROP, b.toArray(Rule[]::new));
            assertEquals(Action.DROP, classifyInKernel(http).action(), "policy B, round " + round);
            assertEquals(Action.PASS, classifyInKernel(https).action(), "policy B, round " + round);
        }
    }

    @Test
    void policyThatDoesNotFitIsRefusedAndTheOldOneStays() {
        dp.policy(Action.DROP, rule(1).tcp().ports("80").pass().build());
        int before = dp.policyTables().activeGeneration();
        // [16i+1, 16i+15] splits into 4 prefixes; 4,096 such ranges for TCP and for UDP need
        // 32,768 pol_port entries plus the wildcard: one more than a generation's half of the map
        List<Rule> huge = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            String range = (16 * i + 1) + "-" + (16 * i + 15);
            huge.add(rule(2 * i).tcp().ports(range).pass().build());
            huge.add(rule(2 * i + 1).udp().ports(range).pass().build());
        }
        var compiled = PolicyCompiler.compile(huge, Action.DROP);
        assertTrue(compiled.entryCounts().polPort() > dp.tables().polPort().map().maxEntries() / 2,
                "the policy must overflow pol_port: " + compiled.entryCounts());
        var refused = assertThrows(PolicyTooLargeException.class, () -> dp.policyTables().apply(compiled));
        assertTrue(refused.getMessage().contains("pol_port"), refused.getMessage());
        assertEquals(before, dp.policyTables().activeGeneration(), "the running policy stays in force");
        assertEquals(Action.PASS, classifyInKernel(new Probe(CLIENT4, SERVER4, 6, 80, Role.EXTERNAL)).action());
    }

    /** Random rule sets and probes: the kernel must agree with the linear first-match reference. */
    @Test
    void agreesWithTheReferenceClassifier() {
        Random random = new Random(20261125);
        String[] v4 = {"198.18.0.0/15", "198.18.1.0/24", "198.18.2.0/24", "198.18.2.0/25", "198.18.2.128/25",
                "198.18.2.2/32", "198.18.1.2/32", "198.19.0.0/16"};
        String[] v6 = {"2001:db8::/32", "2001:db8:1::/48", "2001:db8:2::/48", "2001:db8:2::2/128", "2001:db8:1::2/128"};
        String[] hosts4 = {"198.18.1.2", "198.18.1.9", "198.18.2.2", "198.18.2.127", "198.18.2.128", "198.18.2.255",
                "198.19.3.4", "198.18.0.1"};
        String[] hosts6 = {"2001:db8:1::2", "2001:db8:1::7", "2001:db8:2::2", "2001:db8:2::3", "2001:db8:9::1"};
        int[] ports = {22, 53, 79, 80, 81, 443, 1024, 8080, 65535};
        for (int set = 0; set < 12; set++) {
            List<Rule> rules = new ArrayList<>();
            int n = 5 + random.nextInt(120);
            for (int id = 0; id < n; id++) {
                var b = rule(id);
                boolean six = random.nextInt(3) == 0;
                String[] pool = six ? v6 : v4;
                if (random.nextBoolean()) {
                    b.src(pool[random.nextInt(pool.length)]);
                }
                if (random.nextBoolean()) {
                    b.dst(pool[random.nextInt(pool.length)]);
                }
                int proto = random.nextInt(4);
                if (proto == 1) {
                    b.tcp();
                } else if (proto == 2) {
                    b.udp();
                }
                if (proto == 1 || proto == 2) {
                    if (random.nextBoolean()) {
                        int lo = ports[random.nextInt(ports.length)];
                        int hi = Math.min(65535, lo + random.nextInt(3) * random.nextInt(500));
                        b.ports(lo + "-" + hi);
                    }
                }
                b.role(RoleFilter.values()[random.nextInt(RoleFilter.values().length)]);
                int action = random.nextInt(proto == 1 || proto == 2 ? 3 : 2);
                rules.add((action == 0 ? b.drop() : action == 1 ? b.pass() : b.redirect(GW)).build());
            }
            Action dflt = random.nextBoolean() ? Action.PASS : Action.DROP;
            dp.reset();
            dp.gateway(GW, Datapath.gateway(Addresses.GATEWAY4, Addresses.GATEWAY6, 40000, 20000, Abi.XG_GW_F_ACTIVE));
            dp.policy(dflt, rules.toArray(Rule[]::new));
            for (int p = 0; p < 60; p++) {
                boolean six = random.nextInt(3) == 0;
                String[] hosts = six ? hosts6 : hosts4;
                int proto = new int[] {6, 17, six ? 58 : 1}[random.nextInt(3)];
                int port = proto == 1 ? (random.nextBoolean() ? 8 : 13)
                        : proto == 58 ? (random.nextBoolean() ? 128 : 200) : ports[random.nextInt(ports.length)];
                Role role = random.nextBoolean() ? Role.EXTERNAL : Role.INTERNAL;
                assertDecision(rules, dflt, new Probe(hosts[random.nextInt(hosts.length)],
                        hosts[random.nextInt(hosts.length)], proto, port, role));
            }
        }
    }
}
