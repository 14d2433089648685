package io.xdpgate.gateways.runtime;

/**
 * A frame the runtime keeps until its bytes are approved: where it is, and the stream range
 * [start, end) its payload covers (offsets from the direction's first byte); a FIN occupies
 * the one offset after {@code end}.
 */
final class HeldSegment {
    final long handle;
    final int len;
    final long start;
    final long end;
    final boolean fin;
    /** Payload position inside the frame, relative to the frame's start. */
    final int payloadAt;

    HeldSegment(long handle, int len, long start, long end, boolean fin, int payloadAt) {
        this.handle = handle;
        this.len = len;
        this.start = start;
        this.end = end;
        this.fin = fin;
        this.payloadAt = payloadAt;
    }

    /** The sequence space it takes: payload and FIN. */
    long stop() {
        return end + (fin ? 1 : 0);
    }
}
