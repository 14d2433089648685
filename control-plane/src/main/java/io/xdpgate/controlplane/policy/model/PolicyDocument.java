package io.xdpgate.controlplane.policy.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The policy as users write it (JSON): the default action, the gateways redirected flows go to,
 * and the ordered rules, first match wins. {@code policy.schema.json} describes the format; a
 * document is only known to be valid once
 * {@link io.xdpgate.controlplane.policy.check.DocumentCheck} has said so.
 *
 * @param defaultAction what happens to a new flow no rule matches: "drop" or "pass"
 * @param gateways      absent means none; a gateway's id is its position
 * @param rules         absent means none; a rule's id is its position
 */
public record PolicyDocument(String defaultAction, List<GatewaySpec> gateways, List<RuleSpec> rules) {
    public PolicyDocument {
        gateways = readOnly(gateways);
        rules = readOnly(rules);
    }

    /** Null elements are kept (List.copyOf would throw): the validator reports them with their index. */
    private static <T> List<T> readOnly(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
