package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Action;

/**
 * A pol_rules value: what the rule at one position does.
 *
 * @param gatewayId the gateway of a redirect; 0 otherwise (the slot's field cannot say "none")
 */
public record RuleSlot(int ruleId, Action action, int gatewayId) {

    static RuleSlot of(Rule rule) {
        return new RuleSlot(rule.id(), rule.action(), rule.action() == Action.REDIRECT ? rule.gatewayId() : 0);
    }
}
