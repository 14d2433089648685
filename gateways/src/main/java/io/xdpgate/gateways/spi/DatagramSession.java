package io.xdpgate.gateways.spi;

import java.nio.ByteBuffer;

/**
 * One UDP flow (a client's address and port with one server's) seen by a protocol gateway. Each
 * datagram is judged alone, as it arrives: nothing is reassembled or held, so the answer is
 * about this datagram only.
 *
 * <p>{@code payload} is the datagram's payload, valid during the call only. Called on the
 * runtime's thread only.
 */
public interface DatagramSession {
    /** A datagram from the client to the server. */
    DatagramVerdict onClientDatagram(ByteBuffer payload);

    /** A datagram from the server to the client. A {@link DatagramVerdict.Reply} here is taken as a drop. */
    DatagramVerdict onServerDatagram(ByteBuffer payload);

    /** The flow ended (idle, or the runtime stopped); release what it holds. */
    default void close() {
    }
}
