package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_ANSWER_SIZE;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_NO_FRAME;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_TX_FULL;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FRAMES_CRAFTED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FRAMES_OUT;

import java.nio.ByteBuffer;

/**
 * Where the runtime's frames end: relayed back the way they came (link addresses swapped),
 * crafted segments sent on a connection's behalf, or freed with a reason. Every outcome is
 * counted.
 */
final class FrameOut {
    /**
     * The largest answer payload: with the link, IPv6 and UDP headers it fits a frame of every
     * FrameIo (an AF_XDP chunk is 2 KiB), and DNS answers over UDP are kept to 1232 bytes anyway.
     */
    static final int MAX_ANSWER = 1400;

    private final FrameIo io;
    private final RuntimeStats stats;

    FrameOut(FrameIo io, RuntimeStats stats) {
        this.io = io;
        this.stats = stats;
    }

    ByteBuffer memory() {
        return io.memory();
    }

    /** Sends a received frame on at once. */
    void forward(long handle, int len) {
        IpFrame.swapMacs(io.memory(), (int) handle);
        transmit(handle, len);
    }

    /** Sends a frame that was held. */
    void send(HeldSegment seg) {
        forward(seg.handle, seg.len);
    }

    void drop(long handle, RuntimeStats.Counter reason) {
        io.free(handle);
        stats.inc(reason);
    }

    void free(long handle) {
        io.free(handle);
    }

    /** A segment of the runtime's own for {@code flow}, towards the server or the client. */
    void craft(Flow flow, boolean towardsServer, int seq, int ack, int flags, byte[] payload) {
        long handle = io.allocate();
        if (handle < 0) {
            stats.inc(DROP_NO_FRAME);
            return;
        }
        int len = flow.crafter.write(io.memory(), (int) handle, towardsServer, seq, ack, flags, payload);
        stats.inc(FRAMES_CRAFTED);
        transmit(handle, len);
    }

    /**
     * A datagram of the gateway's own to {@code flow}'s client; false (and counted) when there is
     * no free frame or {@code payload} does not fit one.
     */
    boolean answer(DatagramFlow flow, byte[] payload) {
        if (payload.length > MAX_ANSWER) {
            stats.inc(DROP_ANSWER_SIZE);
            return false;
        }
        long handle = io.allocate();
        if (handle < 0) {
            stats.inc(DROP_NO_FRAME);
            return false;
        }
        int len = flow.crafter.writeDatagram(io.memory(), (int) handle, payload);
        stats.inc(FRAMES_CRAFTED);
        return transmit(handle, len);
    }

    private boolean transmit(long handle, int len) {
        if (io.send(handle, len)) {
            stats.inc(FRAMES_OUT);
            return true;
        }
        io.free(handle);
        stats.inc(DROP_TX_FULL);
        return false;
    }
}
