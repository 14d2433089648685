package io.xdpgate.gateways.spi;

import java.nio.ByteBuffer;

/**
 * One connection seen by a protocol gateway. The runtime hands over each direction's bytes
 * in stream order, exactly once, reassembled from TCP segments; nothing is delivered to the
 * other end until a verdict approves it. Stream offsets count from 0 per direction.
 *
 * <p>Both methods consume all of {@code bytes} (valid during the call only) and answer with a
 * {@link Verdict} for the whole connection. Called on the runtime's thread only.
 */
public interface GatewaySession {
    /** Client to server bytes starting at stream offset {@code offset}. */
    Verdict onClientBytes(long offset, ByteBuffer bytes);

    /** Server to client bytes starting at stream offset {@code offset}. */
    Verdict onServerBytes(long offset, ByteBuffer bytes);

    /** The connection ended (FIN both ways, RST, deny or idle expiry); release what it holds. */
    default void close() {
    }
}
