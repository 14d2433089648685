package io.xdpgate.gateways.tls;

import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.ByteBuffer;

/**
 * One TLS connection: the client's bytes are held until its ClientHello is whole, then the
 * connection is allowed through unparsed (nothing is decrypted) or refused. The server speaks
 * only after the ClientHello, so its bytes wait with the rest.
 */
final class TlsSession implements GatewaySession {
    /** A fatal alert record (RFC 8446 6): access_denied for policy refusals, decode_error for malformed hellos. */
    private static final int ACCESS_DENIED = 49;
    private static final int DECODE_ERROR = 50;

    private final TlsGatewayConfig config;
    private final HelloReader reader;

    TlsSession(TlsGatewayConfig config) {
        this.config = config;
        this.reader = new HelloReader(config.maxHello());
    }

    @Override
    public Verdict onClientBytes(long offset, ByteBuffer bytes) {
        ClientHello hello;
        try {
            hello = reader.take(bytes);
        } catch (TlsFormatException e) {
            return deny("malformed ClientHello: " + e.getMessage(), DECODE_ERROR);
        }
        if (hello == null) {
            return Verdict.approve(0);
        }
        String refusal = config.refusal(hello);
        return refusal == null ? Verdict.allowFlow() : deny(refusal, ACCESS_DENIED);
    }

    @Override
    public Verdict onServerBytes(long offset, ByteBuffer bytes) {
        return Verdict.approve(offset); // held: nothing from the server before the client's hello passed
    }

    private Verdict deny(String reason, int alert) {
        return Verdict.deny(reason, config.alert() ? new byte[] {21, 3, 3, 0, 2, 2, (byte) alert} : null);
    }
}
