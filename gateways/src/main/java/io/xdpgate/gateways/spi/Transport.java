package io.xdpgate.gateways.spi;

/**
 * How a gateway takes a flow's bytes: as a reassembled stream (TCP, {@link GatewaySession}) or
 * one datagram at a time (UDP, {@link DatagramSession}). The policy lets a rule redirect only
 * the transports its gateway declares.
 */
public enum Transport {
    TCP(6),
    UDP(17);

    private final int ipProto;

    Transport(int ipProto) {
        this.ipProto = ipProto;
    }

    /** The IP protocol number (IANA). */
    public int ipProto() {
        return ipProto;
    }
}
