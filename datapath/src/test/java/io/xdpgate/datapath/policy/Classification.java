package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Action;
import io.xdpgate.abi.RuleSlot;

/**
 * The outcome of classifying a new flow.
 *
 * @param position  the winning rule's position, or {@link #DEFAULT_POSITION}
 * @param ruleId    its id, or {@link #DEFAULT_RULE_ID} (0xffffffff, as the kernel reports the default)
 * @param gatewayId the gateway of a redirect, else 0 (as in a rule slot)
 */
public record Classification(int position, int ruleId, Action action, int gatewayId) {
    public static final int DEFAULT_POSITION = -1;
    public static final int DEFAULT_RULE_ID = (int) io.xdpgate.abi.Abi.XG_RULE_DEFAULT;

    static Classification ofDefault(Action action) {
        return new Classification(DEFAULT_POSITION, DEFAULT_RULE_ID, action, 0);
    }

    static Classification of(int position, RuleSlot slot) {
        return new Classification(position, slot.ruleId(), slot.action(), slot.gwId());
    }

    public boolean isDefault() {
        return position == DEFAULT_POSITION;
    }
}
