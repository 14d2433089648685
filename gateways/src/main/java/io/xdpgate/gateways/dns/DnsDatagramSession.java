package io.xdpgate.gateways.dns;

import io.xdpgate.gateways.spi.DatagramSession;
import io.xdpgate.gateways.spi.DatagramVerdict;
import java.nio.ByteBuffer;

/** DNS over UDP (RFC 1035 4.2.1): each datagram is one message. */
final class DnsDatagramSession implements DatagramSession {
    private final DnsInspector inspector;

    DnsDatagramSession(DnsGatewayConfig config) {
        this.inspector = new DnsInspector(config);
    }

    @Override
    public DatagramVerdict onClientDatagram(ByteBuffer payload) {
        DnsInspector.Decision d = inspector.query(payload);
        if (d.passes()) {
            return DatagramVerdict.FORWARD;
        }
        return d.answer() == null ? DatagramVerdict.drop(d.reason()) : DatagramVerdict.reply(d.reason(), d.answer());
    }

    @Override
    public DatagramVerdict onServerDatagram(ByteBuffer payload) {
        String refusal = inspector.response(payload);
        return refusal == null ? DatagramVerdict.FORWARD : DatagramVerdict.drop(refusal);
    }
}
