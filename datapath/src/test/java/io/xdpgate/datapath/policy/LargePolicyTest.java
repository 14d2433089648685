package io.xdpgate.datapath.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.AddressLiteral;
import io.xdpgate.abi.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * A full policy of {@value Abi#XG_MAX_RULES} rules compiles correctly.
 * Only correctness is asserted here; compile speed belongs to the benchmarks.
 */
class LargePolicyTest {

    private static String v4(int index) {
        return "198.18." + (index >>> 8) + "." + (index & 0xff);
    }

    @Test
    void tenThousandDistinctHostPrefixes() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < Abi.XG_MAX_RULES; i++) {
            rules.add(Rule.builder(i).src(v4(i)).dst(v4(i + 20000)).tcp().ports(Integer.toString(1000 + i % 7))
                    .pass().build());
        }
        CompiledPolicy compiled = PolicyCompiler.compile(rules, Action.DROP);
        assertEquals(new PolicyEntryCounts(Abi.XG_MAX_RULES + 1, Abi.XG_MAX_RULES + 1, 8, Abi.XG_MAX_RULES),
                compiled.entryCounts());
        ClassifierPropertyTest.checkShape(compiled);

        Random random = new Random(7);
        for (int n = 0; n < 300; n++) {
            int i = n == 0 ? Abi.XG_MAX_RULES - 1 : random.nextInt(Abi.XG_MAX_RULES);
            int j = random.nextInt(4) == 0 ? random.nextInt(Abi.XG_MAX_RULES) : i;
            PacketFields packet = PacketFields.of(v4(i), v4(j + 20000), 6, 1000 + random.nextInt(8), Role.EXTERNAL);
            assertEquals(NaiveClassifier.firstMatch(rules, packet, Action.DROP), ClassifierModel.classify(compiled, packet));
        }
        PacketFields last = PacketFields.of(v4(10239), v4(10239 + 20000), 6, 1000 + 10239 % 7, Role.INTERNAL);
        assertEquals(10239, ClassifierModel.classify(compiled, last).position());
    }

    @Test
    void tenThousandMixedRules() {
        Random random = new Random(11);
        RandomPolicies scenario = new RandomPolicies(random, Abi.XG_MAX_RULES);
        // The pools are small, so add distinct IPv6 hosts to make the tries big too.
        List<Rule> rules = new ArrayList<>(scenario.rules);
        for (int i = 0; i < 2000; i++) {
            int position = random.nextInt(rules.size());
            Rule old = rules.get(position);
            String host = "2001:db8:7::" + Integer.toHexString(i);
            rules.set(position, new Rule(old.id(), "", null, Cidr.parse(host), Protocol.ANY, null, RoleFilter.ANY,
                    Action.PASS, Rule.NO_GATEWAY));
        }
        CompiledPolicy compiled = PolicyCompiler.compile(rules, scenario.defaultAction);
        ClassifierPropertyTest.checkShape(compiled);
        for (int n = 0; n < 300; n++) {
            PacketFields packet = n % 3 == 0
                    ? new PacketFields(AddressLiteral.parse("2001:db8::1"),
                    AddressLiteral.parse("2001:db8:7::" + Integer.toHexString(random.nextInt(2100))), 17, 53,
                    Role.INTERNAL)
                    : scenario.packet();
            assertEquals(NaiveClassifier.firstMatch(rules, packet, scenario.defaultAction), ClassifierModel.classify(compiled, packet));
        }
    }
}
