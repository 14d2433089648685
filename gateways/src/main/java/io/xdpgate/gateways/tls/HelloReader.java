package io.xdpgate.gateways.tls;

import java.nio.ByteBuffer;
import java.util.Arrays;

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
    /** Stream bytes from {@link #recordAt} on are not yet taken into a record. */
    private byte[] stream = new byte[512];
    private int streamLen;
    private int recordAt;
    /** The handshake bytes of the records read so far. */
    private byte[] handshake = new byte[512];
    private int handshakeLen;

    HelloReader(int maxHello) {
        this.maxHello = maxHello;
    }

    /**
     * Takes {@code bytes}; the ClientHello once it is whole, else null (more bytes needed). Each
     * byte is copied a bounded number of times however the stream is cut (a client dripping
     * one-byte records or segments must not make the runtime copy the hello once per byte).
     */
    ClientHello take(ByteBuffer bytes) throws TlsFormatException {
        int n = bytes.remaining();
        stream = room(stream, streamLen, n);
        bytes.get(stream, streamLen, n);
        streamLen += n;
        while (streamLen - recordAt >= RECORD_HEADER) {
            int type = stream[recordAt] & 0xff;
            int major = stream[recordAt + 1] & 0xff;
            int len = ((stream[recordAt + 3] & 0xff) << 8) | (stream[recordAt + 4] & 0xff);
            if (type != HANDSHAKE) {
                throw new TlsFormatException("record type " + type + " before the ClientHello (not a TLS handshake)");
            }
            if (major != 3) {
                throw new TlsFormatException("record version " + major + "." + (stream[recordAt + 2] & 0xff));
            }
            if (len == 0 || len > MAX_RECORD) {
                throw new TlsFormatException("handshake record of " + len + " bytes");
            }
            if (streamLen - recordAt - RECORD_HEADER < len) {
                break;
            }
            handshake = room(handshake, handshakeLen, len);
            System.arraycopy(stream, recordAt + RECORD_HEADER, handshake, handshakeLen, len);
            handshakeLen += len;
            recordAt += RECORD_HEADER + len;
            ClientHello hello = hello();
            if (hello != null) {
                return hello;
            }
        }
        if (recordAt > 0) { // records were taken: only the unfinished one moves to the front
            System.arraycopy(stream, recordAt, stream, 0, streamLen - recordAt);
            streamLen -= recordAt;
            recordAt = 0;
        }
        if (handshakeLen + streamLen > maxHello + 4 + RECORD_HEADER * (1 + maxHello / 64)) {
            throw new TlsFormatException("no ClientHello within " + maxHello + " bytes");
        }
        return null;
    }

    /** {@code buf} with room for {@code more} bytes after its first {@code used}, grown by doubling. */
    private static byte[] room(byte[] buf, int used, int more) {
        if (used + more <= buf.length) {
            return buf;
        }
        return Arrays.copyOf(buf, Math.max(buf.length * 2, used + more));
    }

    private ClientHello hello() throws TlsFormatException {
        if (handshakeLen < 4) {
            return null;
        }
        if ((handshake[0] & 0xff) != CLIENT_HELLO) {
            throw new TlsFormatException("handshake message type " + (handshake[0] & 0xff) + " first, not a ClientHello");
        }
        int len = ((handshake[1] & 0xff) << 16) | ((handshake[2] & 0xff) << 8) | (handshake[3] & 0xff);
        if (len > maxHello) {
            throw new TlsFormatException("ClientHello of " + len + " bytes (at most " + maxHello + ")");
        }
        if (handshakeLen < 4 + len) {
            return null;
        }
        return ClientHello.parse(ByteBuffer.wrap(handshake, 4, len));
    }
}
