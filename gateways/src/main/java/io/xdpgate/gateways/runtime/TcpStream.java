package io.xdpgate.gateways.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * One direction of a connection: where its sequence numbers start and what its SYN said, how
 * far its bytes were handed to the gateway ({@code fed}), approved by it and released to the
 * receiver, the segments held meanwhile in stream order, the released bytes the receiver has
 * not acknowledged yet, and the receiver's window as its acknowledgements tell it. Offsets are
 * 64-bit counts from the first byte after the SYN, so a long transfer never wraps.
 */
final class TcpStream {
    boolean started;
    int isn;
    /** What this side's SYN (or SYN-ACK) said: its flags, window scale (-1: none), timestamps, window. */
    int synFlags;
    int synWscale = -1;
    boolean synTimestamps;
    int synWindow;
    /** The shift of the windows this side advertises: its SYN's scale when both SYNs offered one, else 0. */
    int wscale;
    /** Next offset to hand to the gateway: everything before it was delivered in order. */
    long fed;
    /** The gateway approved [0, approved). */
    long approved;
    /** The receiver was sent everything before this offset (a released FIN counts one). */
    long released;
    boolean finFed;
    /** Where the FIN sits once a segment carrying it was accepted, else -1. */
    long finAt = -1;
    /** The end of the highest payload accepted. */
    long highest;
    /** The receiver's window for this direction is known (its SYN-ACK, or SYN, was seen). */
    boolean windowKnown;
    /** The receiver acknowledged [0, acked). */
    long acked;
    /** The receiver accepts bytes below this offset: the furthest its acknowledgement plus window reached. */
    long rightEdge;
    /** The largest window the receiver advertised (RFC 5961 5.2 bounds old acknowledgements by it). */
    long maxWindow;
    /** The highest timestamp value (RFC 7323) this side sent that a receiver may have taken. */
    int tsRecent;
    /** Released, not yet acknowledged: compared with any retransmission of them. */
    final ReleasedBytes unacked = new ReleasedBytes();
    /** Held segments sorted by start, then arrival. */
    final List<HeldSegment> held = new ArrayList<>();

    /** Takes this side's SYN (or SYN-ACK). */
    void start(IpFrame syn) {
        started = true;
        isn = syn.seq;
        synFlags = syn.flags;
        synWscale = syn.wscale;
        synTimestamps = syn.hasTimestamps;
        synWindow = syn.window;
        tsRecent = syn.tsVal;
    }

    /** Whether {@code syn} repeats this side's SYN exactly: sequence number, flags and the options relied on. */
    boolean isRetransmittedSyn(IpFrame syn) {
        return started && syn.seq == isn && syn.flags == synFlags && syn.wscale == synWscale
                && syn.hasTimestamps == synTimestamps;
    }

    /** The receiver's window opens: nothing acknowledged yet, {@code window} bytes may come. */
    void openWindow(int window) {
        windowKnown = true;
        acked = 0;
        rightEdge = window;
        maxWindow = window;
    }

    /** Stream offset of a sequence number, unwrapped around the offset {@code near}. */
    long offsetNear(int seq, long near) {
        return near + (seq - seqAt(near));
    }

    /** Stream offset of a sequence number, unwrapped around the next offset to feed. */
    long offsetOf(int seq) {
        return offsetNear(seq, fed);
    }

    /** Sequence number of a stream offset. */
    int seqAt(long offset) {
        return (int) (isn + 1 + offset);
    }

    /** Whether a held segment was not fed yet: it waits behind a gap, and may be dropped again. */
    boolean unfed(HeldSegment s) {
        return s.start > fed;
    }

    void hold(HeldSegment s) {
        int i = held.size();
        while (i > 0 && held.get(i - 1).start > s.start) {
            i--;
        }
        held.add(i, s);
    }
}
