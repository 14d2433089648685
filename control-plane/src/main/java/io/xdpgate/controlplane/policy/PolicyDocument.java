package io.xdpgate.controlplane.policy;

import java.util.List;

/**
 * The policy as users write it (JSON): the default action, the gateways redirected flows go to,
 * and the ordered rules, first match wins. The schema is {@code policy.schema.json}.
 */
public record PolicyDocument(String defaultAction, List<GatewaySpec> gateways, List<RuleSpec> rules) {
    public PolicyDocument {
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
