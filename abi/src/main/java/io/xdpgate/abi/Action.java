package io.xdpgate.abi;

/** {@code enum xg_action}: what a rule does with a new flow. */
public enum Action implements CEnum {
    DROP, PASS, REDIRECT;

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
}
