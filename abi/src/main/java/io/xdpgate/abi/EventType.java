package io.xdpgate.abi;

/** {@code enum xg_event_type}: what a flow event reports. Values start at 1. */
public enum EventType implements CEnum {
    NEW(1), REDIRECT(2), CLOSED(3), DROP(4);

    private final int value;

    EventType(int value) {
        this.value = value;
    }

    @Override
    public String cName() {
        return "XG_EV_" + name();
    }

    @Override
    public int value() {
        return value;
    }

    public static EventType fromValue(int value) {
        return CEnum.fromValue(EventType.class, value);
    }
}
