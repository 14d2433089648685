package io.xdpgate.gateways.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * One direction of a connection: where its sequence numbers start, how far its bytes were
 * handed to the gateway ({@code fed}), approved by it and released to the receiver, and the
 * segments held meanwhile, in stream order. Offsets are 64-bit counts from the first byte
 * after the SYN, so a long transfer never wraps.
 */
final class TcpStream {
    boolean started;
    int isn;
    /** Next offset to hand to the gateway: everything before it was delivered in order. */
    long fed;
    /** The gateway approved [0, approved). */
    long approved;
    /** The receiver was sent everything before this offset (a released FIN counts one). */
    long released;
    boolean finFed;
    /** Held segments sorted by start, then arrival. */
    final List<HeldSegment> held = new ArrayList<>();

    void start(int synSeq) {
        started = true;
        isn = synSeq;
    }

    /** Stream offset of a sequence number, unwrapped around the next offset to feed. */
    long offsetOf(int seq) {
        return fed + (seq - seqAt(fed));
    }

    /** Sequence number of a stream offset. */
    int seqAt(long offset) {
        return (int) (isn + 1 + offset);
    }

    void hold(HeldSegment s) {
        int i = held.size();
        while (i > 0 && held.get(i - 1).start > s.start) {
            i--;
        }
        held.add(i, s);
    }
}
