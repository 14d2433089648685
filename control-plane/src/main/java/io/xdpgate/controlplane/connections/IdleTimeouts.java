package io.xdpgate.controlplane.connections;

import io.xdpgate.abi.IpProto;

import io.xdpgate.abi.TcpState;
import java.time.Duration;

/**
 * How long a connection may stay idle before GC removes it, by protocol and TCP state. A
 * connection that closed (RST, or FIN from both sides) only lingers long enough for the last
 * segments in flight.
 */
public record IdleTimeouts(Duration tcpEstablished, Duration tcpOpening, Duration tcpClosed, Duration udp,
                           Duration other) {

    public Duration of(Connection c) {
        int proto = c.original().proto();
        if (proto == IpProto.UDP) {
            return udp;
        }
        if (proto != IpProto.TCP) {
            return other;
        }
        return switch (c.entry().tcpState()) {
            case SYN_SENT -> tcpOpening;
            case TIME_WAIT, CLOSED -> tcpClosed;
            default -> tcpEstablished;
        };
    }

    /** True for TCP connections that ended (both FINs or a RST). */
    public static boolean isClosed(Connection c) {
        TcpState s = c.entry().tcpState();
        return s == TcpState.TIME_WAIT || s == TcpState.CLOSED;
    }
}
