package io.xdpgate.gateways.tls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Collects a client's first handshake message from its stream, across TCP segments and across
 * TLS records (RFC 8446 5.1: a handshake message may be fragmented over several records, and
 * several may share one): each record must be a handshake record (type 22) of a TLS version
 * byte 3, at most 2^14 bytes and not empty; the first handshake message must be a ClientHello
 * no longer than the limit. Stops at the first whole ClientHello: what follows it (more records
 * in the same segment) is not read.
 */
final class HelloReader {
    private static final int RECORD_HEADER = 5;
    private static final int MAX_RECORD = 1 << 14;
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;

    private final int maxHello;
    /** Stream bytes not yet taken into a record. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** The handshake bytes of the records read so far. */
    private final ByteArrayOutputStream handshake = new ByteArrayOutputStream();

    HelloReader(int maxHello) {
        this.maxHello = maxHello;
    }

    /** Takes {@code bytes}; the ClientHello once it is whole, else null (more bytes needed). */
    ClientHello take(ByteBuffer bytes) throws TlsFormatException {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        pending.writeBytes(b);
        byte[] p = pending.toByteArray();
        int at = 0;
        while (p.length - at >= RECORD_HEADER) {
            int type = p[at] & 0xff;
            int major = p[at + 1] & 0xff;
            int len = ((p[at + 3] & 0xff) << 8) | (p[at + 4] & 0xff);
            if (type != HANDSHAKE) {
                throw new TlsFormatException("record type " + type + " before the ClientHello (not a TLS handshake)");
            }
            if (major != 3) {
                throw new TlsFormatException("record version " + major + "." + (p[at + 2] & 0xff));
            }
            if (len == 0 || len > MAX_RECORD) {
                throw new TlsFormatException("handshake record of " + len + " bytes");
            }
            if (p.length - at - RECORD_HEADER < len) {
                break;
            }
            handshake.write(p, at + RECORD_HEADER, len);
            at += RECORD_HEADER + len;
            ClientHello hello = hello();
            if (hello != null) {
                return hello;
            }
        }
        pending.reset();
        pending.write(p, at, p.length - at);
        if (handshake.size() + pending.size() > maxHello + 4 + RECORD_HEADER * (1 + maxHello / 64)) {
            throw new TlsFormatException("no ClientHello within " + maxHello + " bytes");
        }
        return null;
    }

    private ClientHello hello() throws TlsFormatException {
        byte[] h = handshake.toByteArray();
        if (h.length < 4) {
            return null;
        }
        if ((h[0] & 0xff) != CLIENT_HELLO) {
            throw new TlsFormatException("handshake message type " + (h[0] & 0xff) + " first, not a ClientHello");
        }
        int len = ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        if (len > maxHello) {
            throw new TlsFormatException("ClientHello of " + len + " bytes (at most " + maxHello + ")");
        }
        if (h.length < 4 + len) {
            return null;
        }
        return ClientHello.parse(ByteBuffer.wrap(h, 4, len));
    }
}
