package io.xdpgate.controlplane.policy;

import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.policy.RuleAction;
import java.util.List;

/** A valid document in the compiler's terms: rules with ids (their positions) and numbered gateways. */
public record TranslatedPolicy(PolicyDocument document, List<Rule> rules, RuleAction defaultAction,
                               List<GatewayAssignment> gateways) {
}
