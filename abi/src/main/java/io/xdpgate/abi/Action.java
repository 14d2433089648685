package io.xdpgate.abi;

import java.util.Locale;

/** {@code enum xg_action}: what a rule does with a new flow. */
public enum Action implements CEnum {
    DROP, PASS,
    /** To the gateway the rule names. */
    REDIRECT;

    @Override
    public String cName() {
        return "XG_ACT_" + name();
    }

    @Override
    public int value() {
        return ordinal();
    }

    public static Action fromValue(int value) {
        return CEnum.fromValue(Action.class, value);
    }

    /** "pass", "drop" or "redirect" in any case: how policies and events write an action. */
    public static Action parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown action \"" + text + "\": use pass, drop or redirect", e);
        }
    }
}
