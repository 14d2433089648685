package io.xdpgate.datapath.policy;

import java.util.Locale;

/** What a rule does with a new flow; values as enum xg_action of the ABI. */
public enum RuleAction {
    DROP(0),
    PASS(1),
    /** To the gateway the rule names. */
    REDIRECT(2);

    private final int abiValue;

    RuleAction(int abiValue) {
        this.abiValue = abiValue;
    }

    public int abiValue() {
        return abiValue;
    }

    public static RuleAction parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown action \"" + text + "\": use pass, drop or redirect", e);
        }
    }
}
