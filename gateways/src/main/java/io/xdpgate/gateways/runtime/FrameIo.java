package io.xdpgate.gateways.runtime;

import java.nio.ByteBuffer;

/**
 * Where the runtime's frames live and go: the AF_XDP socket's UMEM and TX ring in production,
 * a heap buffer in unit tests. A frame is a handle (its UMEM address) and a length; the runtime
 * owns every frame it is given until it sends or frees it.
 */
public interface FrameIo {
    /** The whole frame memory; a frame's bytes are at [handle, handle + len). */
    ByteBuffer memory();

    /** Sends the frame back towards the packet processor; false when the TX ring is full. */
    boolean send(long handle, int len);

    void free(long handle);

    /** A free frame to build into (room for any crafted segment), or -1 when none is left. */
    long allocate();
}
