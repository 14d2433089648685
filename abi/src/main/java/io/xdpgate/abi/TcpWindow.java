package io.xdpgate.abi;

/**
 * What the connection table knows of one direction's TCP sequence space (the per-direction
 * {@code tcp_*} fields of {@code struct xg_conn}), all 32-bit sequence arithmetic.
 *
 * @param next   sequence number after the highest segment this direction sent
 * @param ack    the latest acknowledgement this direction sent
 * @param window the window this direction advertised last, scaled
 * @param wscale the window scale it announced in its SYN, or {@link Abi#XG_WSCALE_NONE}
 */
public record TcpWindow(int next, int ack, int window, int wscale) {
    /** A direction that sent nothing yet, or a flow that is not TCP. */
    public static final TcpWindow NONE = new TcpWindow(0, 0, 0, 0);

    public TcpWindow {
        Checks.u8("wscale", wscale);
    }
}
