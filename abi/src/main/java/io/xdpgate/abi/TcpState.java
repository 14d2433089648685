package io.xdpgate.abi;

/** {@code enum xg_tcp_state}: TCP tracking state of a connection; NONE for other protocols. */
public enum TcpState implements CEnum {
    NONE, SYN_SENT, ESTABLISHED, FIN_WAIT, TIME_WAIT, CLOSED;

    @Override
    public String cName() {
        return "XG_TCP_" + name();
    }

    @Override
    public int value() {
        return ordinal();
    }

    public static TcpState fromValue(int value) {
        return CEnum.fromValue(TcpState.class, value);
    }
}
