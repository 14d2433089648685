package io.xdpgate.datapath.policy;

import static io.xdpgate.abi.Role.EXTERNAL;
import static io.xdpgate.abi.Role.GATEWAY;
import static io.xdpgate.abi.Role.INTERNAL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xdpgate.abi.Action;
import io.xdpgate.abi.Role;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Small policies with known answers. Every case runs through both the
 * compiled classifier and the naive one; rule ids are 100 + position so that
 * a position/id mix-up shows.
 */
class ClassifierHandCasesTest {
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ICMP = 1;
    private static final int ICMPV6 = 58;
    private static final int GRE = 47;
    private static final int DEFAULT = Classification.DEFAULT_POSITION;

    /** Builds rules with ids 100 + position. */
    private static final class Policy {
        final List<Rule> rules = new ArrayList<>();
        Action defaultAction = Action.DROP;

        RuleBuilder add() {
            return Rule.builder(100 + rules.size());
        }

        Policy rule(RuleBuilder builder) {
            rules.add(builder.build());
            return this;
        }

        /** Position of the winning rule, checked to be the same both ways. */
        int classify(String src, String dst, int protocol, int port, Role role) {
            PacketFields packet = PacketFields.of(src, dst, protocol, port, role);
            Classification naive = NaiveClassifier.firstMatch(rules, packet, defaultAction);
            Classification compiled = ClassifierModel.classify(PolicyCompiler.compile(rules, defaultAction), packet);
            assertEquals(naive, compiled, () -> "packet " + packet + " rules " + rules);
            return naive.position();
        }

        int src(String src) {
            return classify(src, src.contains(":") ? "2001:db8:ff::1" : "198.19.255.1", TCP, 80, EXTERNAL);
        }

        int dst(String dst) {
            return classify(dst.contains(":") ? "2001:db8:ff::1" : "198.19.255.1", dst, TCP, 80, EXTERNAL);
        }

        int port(int protocol, int port) {
            return classify("198.18.0.1", "198.18.0.2", protocol, port, EXTERNAL);
        }
    }

    @Test
    void firstMatchWins() {
        Policy p = new Policy();
        p.rule(p.add().tcp().ports("80").drop());
        p.rule(p.add().tcp().ports("80").pass());
        p.rule(p.add().tcp().pass());
        assertEquals(0, p.port(TCP, 80));
        assertEquals(2, p.port(TCP, 81));
        assertEquals(DEFAULT, p.port(UDP, 80));

        PacketFields packet = PacketFields.of("198.18.0.1", "198.18.0.2", TCP, 80, EXTERNAL);
        Classification hit = ClassifierModel.classify(PolicyCompiler.compile(p.rules, Action.PASS), packet);
        assertEquals(new Classification(0, 100, Action.DROP, 0), hit);
        Classification miss = ClassifierModel.classify(PolicyCompiler.compile(p.rules, Action.PASS),
                PacketFields.of("198.18.0.1", "198.18.0.2", UDP, 80, EXTERNAL));
        assertEquals(new Classification(-1, 0xffffffff, Action.PASS, 0), miss);
    }

    @Test
    void redirectCarriesItsGateway() {
        Policy p = new Policy();
        p.rule(p.add().dst("198.18.2.0/24").udp().ports("53").redirect(5));
        PacketFields packet = PacketFields.of("198.18.0.1", "198.18.2.53", UDP, 53, INTERNAL);
        assertEquals(new Classification(0, 100, Action.REDIRECT, 5),
                ClassifierModel.classify(PolicyCompiler.compile(p.rules, Action.DROP), packet));
    }

    @Test
    void cidrEdges() {
        Policy p = new Policy();
        p.rule(p.add().src("198.18.2.0/24").pass());
        assertEquals(DEFAULT, p.src("198.18.1.255"));
        assertEquals(0, p.src("198.18.2.0"));
        assertEquals(0, p.src("198.18.2.255"));
        assertEquals(DEFAULT, p.src("198.18.3.0"));

        Policy d = new Policy();
        d.rule(d.add().dst("2001:db8:1::/48").pass());
        assertEquals(DEFAULT, d.dst("2001:db8:0:ffff:ffff:ffff:ffff:ffff"));
        assertEquals(0, d.dst("2001:db8:1::"));
        assertEquals(0, d.dst("2001:db8:1:ffff:ffff:ffff:ffff:ffff"));
        assertEquals(DEFAULT, d.dst("2001:db8:2::"));
    }

    @Test
    void hostPrefixes() {
        Policy p = new Policy();
        p.rule(p.add().src("198.18.2.7").pass());
        p.rule(p.add().src("2001:db8::7/128").pass());
        assertEquals(DEFAULT, p.src("198.18.2.6"));
        assertEquals(0, p.src("198.18.2.7"));
        assertEquals(DEFAULT, p.src("198.18.2.8"));
        assertEquals(DEFAULT, p.src("2001:db8::6"));
        assertEquals(1, p.src("2001:db8::7"));
        assertEquals(DEFAULT, p.src("2001:db8::8"));
    }

    @Test
    void familiesNeverCrossMatchExceptThroughAWildcard() {
        Policy p = new Policy();
        p.rule(p.add().src("::/0").udp().pass());
        p.rule(p.add().src("0.0.0.0/0").tcp().pass());
        p.rule(p.add().dst("0.0.0.0/0").udp().pass());
        p.rule(p.add().pass());
        assertEquals(0, p.classify("2001:db8::1", "2001:db8::2", UDP, 1, EXTERNAL));
        assertEquals(2, p.classify("198.18.0.1", "198.18.0.2", UDP, 1, EXTERNAL));
        assertEquals(1, p.classify("198.18.0.1", "198.18.0.2", TCP, 1, EXTERNAL));
        assertEquals(3, p.classify("2001:db8::1", "2001:db8::2", TCP, 1, EXTERNAL));
        assertEquals(3, p.classify("198.18.0.1", "198.18.0.2", ICMP, 8, INTERNAL));
    }

    @Test
    void nestedPrefixes() {
        Policy p = new Policy();
        p.rule(p.add().dst("198.18.2.128/25").drop());
        p.rule(p.add().dst("198.18.2.0/24").pass());
        p.rule(p.add().dst("198.18.0.0/15").tcp().redirect(3));
        assertEquals(0, p.dst("198.18.2.200"));
        assertEquals(1, p.dst("198.18.2.100"));
        assertEquals(2, p.dst("198.19.5.1"));
        assertEquals(DEFAULT, p.classify("198.18.0.9", "198.19.5.1", UDP, 80, EXTERNAL));

        Policy reversed = new Policy();
        reversed.rule(reversed.add().dst("198.18.0.0/15").pass());
        reversed.rule(reversed.add().dst("198.18.2.128/25").drop());
        assertEquals(0, reversed.dst("198.18.2.200"));
        assertEquals(0, reversed.dst("198.18.3.1"));
    }

    @Test
    void portRangeEdges() {
        Policy p = new Policy();
        p.rule(p.add().tcp().ports("1000-2000").pass());
        p.rule(p.add().udp().ports("0").pass());
        p.rule(p.add().udp().ports("65535").pass());
        assertEquals(DEFAULT, p.port(TCP, 999));
        assertEquals(0, p.port(TCP, 1000));
        assertEquals(0, p.port(TCP, 2000));
        assertEquals(DEFAULT, p.port(TCP, 2001));
        assertEquals(DEFAULT, p.port(UDP, 1500));
        assertEquals(1, p.port(UDP, 0));
        assertEquals(DEFAULT, p.port(UDP, 1));
        assertEquals(DEFAULT, p.port(UDP, 65534));
        assertEquals(2, p.port(UDP, 65535));
    }

    @Test
    void protocolWithoutPorts() {
        Policy p = new Policy();
        p.rule(p.add().udp().pass());
        p.rule(p.add().protocol("47").pass());
        assertEquals(0, p.port(UDP, 0));
        assertEquals(0, p.port(UDP, 65535));
        assertEquals(DEFAULT, p.port(TCP, 53));
        assertEquals(1, p.port(GRE, 0));
        assertEquals(DEFAULT, p.port(50, 0));
    }

    @Test
    void icmpTypeIsThePort() {
        Policy p = new Policy();
        p.rule(p.add().protocol("icmp").ports("8").pass());
        p.rule(p.add().protocol("icmpv6").ports("128-129").pass());
        p.rule(p.add().protocol("icmpv6").ports("133-137").drop());
        assertEquals(0, p.port(ICMP, 8));
        assertEquals(DEFAULT, p.port(ICMP, 0));
        assertEquals(DEFAULT, p.port(TCP, 8));
        assertEquals(1, p.classify("2001:db8::1", "2001:db8::2", ICMPV6, 129, EXTERNAL));
        assertEquals(2, p.classify("2001:db8::1", "2001:db8::2", ICMPV6, 135, EXTERNAL));
        assertEquals(DEFAULT, p.classify("2001:db8::1", "2001:db8::2", ICMPV6, 130, EXTERNAL));
    }

    @Test
    void roleFilter() {
        Policy p = new Policy();
        p.rule(p.add().role(RoleFilter.EXTERNAL).tcp().ports("22").drop());
        p.rule(p.add().role(RoleFilter.INTERNAL).udp().pass());
        p.rule(p.add().tcp().pass());
        assertEquals(0, p.classify("198.18.0.1", "198.18.0.2", TCP, 22, EXTERNAL));
        assertEquals(2, p.classify("198.18.0.1", "198.18.0.2", TCP, 22, INTERNAL));
        assertEquals(1, p.classify("198.18.0.1", "198.18.0.2", UDP, 22, INTERNAL));
        assertEquals(DEFAULT, p.classify("198.18.0.1", "198.18.0.2", UDP, 22, EXTERNAL));
        assertEquals(DEFAULT, p.classify("198.18.0.1", "198.18.0.2", TCP, 22, GATEWAY));
    }

    @Test
    void emptyPolicyGivesTheDefault() {
        Policy p = new Policy();
        p.defaultAction = Action.PASS;
        assertEquals(DEFAULT, p.port(TCP, 80));
        CompiledPolicy compiled = PolicyCompiler.compile(List.of(), Action.PASS);
        assertEquals(new PolicyEntryCounts(1, 1, 1, 0), compiled.entryCounts());
        assertEquals(RuleBitmap.empty(), compiled.srcBitmaps().get(AddressPrefix.ROOT));
    }
}
