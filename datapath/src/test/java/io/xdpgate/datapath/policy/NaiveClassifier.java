package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Action;

import java.util.List;

/**
 * The reference the compiled classifier is checked against: walk the rules in
 * order and take the first that matches on every field.
 */
public final class NaiveClassifier {

    private NaiveClassifier() {
    }

    public static Classification firstMatch(List<Rule> rules, PacketFields packet, Action defaultAction) {
        for (int position = 0; position < rules.size(); position++) {
            Rule rule = rules.get(position);
            if (matches(rule, packet)) {
                return Classification.of(position, rule.slot());
            }
        }
        return Classification.ofDefault(defaultAction);
    }

    public static boolean matches(Rule rule, PacketFields packet) {
        return rule.role().admits(packet.ingressRole())
                && (rule.src() == null || rule.src().contains(packet.src()))
                && (rule.dst() == null || rule.dst().contains(packet.dst()))
                && (rule.protocol().isAny() || rule.protocol().number() == packet.protocol())
                && (rule.ports() == null || rule.ports().contains(packet.port()));
    }
}
