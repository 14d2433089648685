package io.xdpgate.controlplane.policy.translate;

import io.xdpgate.abi.Action;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.Rule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A valid document in the compiler's terms.
 *
 * @param document      what it was made from (what the daemon persists and serves back)
 * @param rules         in document order; a rule's id is its position, so events and
 *                      connections name the rule as the document numbers it
 * @param defaultAction drop or pass
 * @param gateways      in document order; a gateway's id is its position
 */
public record TranslatedPolicy(PolicyDocument document, List<Rule> rules, Action defaultAction,
                               List<GatewayAssignment> gateways) {
    public TranslatedPolicy {
        rules = List.copyOf(rules);
        gateways = List.copyOf(gateways);
    }

    /** Rule names by rule id: what an event's or a connection's rule id is called. */
    public Map<Integer, String> ruleNames() {
        return rules.stream().collect(Collectors.toUnmodifiableMap(Rule::id, Rule::name));
    }

    /** The name of the rule with this id; empty for the default action's id and unknown ids. */
    public Optional<String> ruleName(int id) {
        return id >= 0 && id < rules.size() ? Optional.of(rules.get(id).name()) : Optional.empty();
    }

    public Optional<GatewayAssignment> gateway(String name) {
        return gateways.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public Map<String, GatewayAssignment> gatewaysByName() {
        return gateways.stream().collect(Collectors.toUnmodifiableMap(GatewayAssignment::name, Function.identity()));
    }

    /** The kernel's bitmaps; see {@link PolicyCompiler}. */
    public CompiledPolicy compile() {
        return PolicyCompiler.compile(rules, defaultAction);
    }
}
