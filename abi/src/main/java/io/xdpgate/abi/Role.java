package io.xdpgate.abi;

/** {@code enum xg_role}: what an interface is to the firewall. */
public enum Role implements CEnum {
    EXTERNAL, INTERNAL,
    /** A gateway veth. Packets from a gateway are never classified (loop prevention). */
    GATEWAY;

    /** {@code XG_ROLE_COUNT} */
    public static final int COUNT = values().length;

    @Override
    public String cName() {
        return "XG_ROLE_" + name();
    }

    @Override
    public int value() {
        return ordinal();
    }

    public static Role fromValue(int value) {
        return CEnum.fromValue(Role.class, value);
    }
}
