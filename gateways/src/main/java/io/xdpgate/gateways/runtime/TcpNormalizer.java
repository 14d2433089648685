package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_BAD_ACK;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_BEYOND_FIN;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_OUT_OF_WINDOW;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_PAWS;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_TCP_OPTIONS;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.NORMALIZED_URG;

import io.xdpgate.abi.TcpFlags;

/**
 * The per-segment decisions that keep a receiver from taking a TCP segment differently from
 * the gateway: what the connection's receivers would drop is dropped before a byte of it is
 * fed, what they would take out of band is put back in band. Also tracks what those decisions
 * rest on: each side's acknowledgements, windows (scaled as the SYNs agreed) and timestamps.
 * Every decision and its reason: gateways/README.md, "Stream normalization".
 */
final class TcpNormalizer {
    private final RuntimeStats stats;
    private final Reassembly reassembly;

    TcpNormalizer(RuntimeStats stats, Reassembly reassembly) {
        this.stats = stats;
        this.reassembly = reassembly;
    }

    /**
     * URG: a receiver takes the byte the urgent pointer names out of the stream (Linux without
     * SO_OOBINLINE), the gateway reads it in place. The flag and pointer are cleared, the
     * checksum updated: the receiver reads the bytes in order, as judged.
     */
    void normalizeUrgent(IpFrame f) {
        if (f.has(TcpFlags.URG) || f.urgentPointer != 0) {
            f.clearUrgent();
            stats.inc(NORMALIZED_URG);
        }
    }

    /** The SYN-ACK completes the handshake: what both SYNs agreed on, and each receiver's first window. */
    void handshake(Flow flow, IpFrame synAck) {
        TcpStream c = flow.client;
        TcpStream s = flow.server;
        s.start(synAck);
        boolean scaling = c.synWscale >= 0 && s.synWscale >= 0;
        c.wscale = scaling ? c.synWscale : 0;
        s.wscale = scaling ? s.synWscale : 0;
        flow.timestamps = c.synTimestamps && s.synTimestamps;
        // windows in SYNs are never scaled (RFC 7323 2.2)
        c.openWindow(s.synWindow);
        s.openWindow(c.synWindow);
    }

    /**
     * Whether a segment other than a SYN or RST of an inspected connection may be taken at all:
     * null, or the counter of its drop. Its options must parse one way and carry no signature
     * the gateway cannot check; it must acknowledge (RFC 9293 3.10.7.4: a segment without ACK is
     * dropped) something the receiver sent, not past it and not older than its largest window
     * (RFC 5961 5.2: the receiver drops the segment, data and all).
     */
    RuntimeStats.Counter acceptable(Flow flow, IpFrame f, boolean fromClient) {
        if (!f.optionsWellFormed || f.signed) {
            return DROP_TCP_OPTIONS;
        }
        if (!f.has(TcpFlags.ACK)) {
            return DROP_BAD_ACK;
        }
        TcpStream peer = flow.stream(!fromClient);
        if (!peer.started || !peer.windowKnown) {
            return DROP_BAD_ACK;
        }
        long ack = peer.offsetNear(f.ack, peer.released);
        if (ack < 0 || ack > peer.released || ack < peer.acked - peer.maxWindow) {
            return DROP_BAD_ACK;
        }
        return null;
    }

    /**
     * Whether the bytes [start, end) (and FIN) of {@code s} in {@code f} may be fed: null, or the
     * counter of its drop. With timestamps agreed, the segment must carry one no older than its
     * sender's latest (PAWS, RFC 7323 5: the receiver drops older ones; FreeBSD drops segments
     * without). Every byte must lie in the window the receiver advertised (it may trim or drop
     * beyond it). Nothing may follow the FIN, and the FIN may not move.
     */
    RuntimeStats.Counter acceptableData(Flow flow, TcpStream s, IpFrame f, long start, long end, boolean fin) {
        if (flow.timestamps && (!f.hasTimestamps || f.tsVal - s.tsRecent < 0)) {
            return DROP_PAWS;
        }
        if (start < 0 || end > s.rightEdge) {
            return DROP_OUT_OF_WINDOW;
        }
        if (s.finAt >= 0 ? end > s.finAt || fin && end != s.finAt : fin && end < s.highest) {
            return DROP_BEYOND_FIN;
        }
        return null;
    }

    /** A segment [start, end) of {@code s} was taken: the stream's extent and FIN. */
    static void took(TcpStream s, long end, boolean fin) {
        s.highest = Math.max(s.highest, end);
        if (fin) {
            s.finAt = end;
        }
    }

    /**
     * What a taken segment tells: its acknowledgement and window for the other direction (the
     * receiver's window opens, acknowledged released bytes are forgotten), and its timestamp.
     */
    void learn(Flow flow, IpFrame f, boolean fromClient) {
        TcpStream s = flow.stream(fromClient);
        TcpStream peer = flow.stream(!fromClient);
        if (f.has(TcpFlags.ACK) && peer.started && peer.windowKnown) {
            long ack = peer.offsetNear(f.ack, peer.released);
            if (ack >= 0 && ack <= peer.released) {
                long window = (long) f.window << s.wscale;
                peer.rightEdge = Math.max(peer.rightEdge, ack + window);
                peer.maxWindow = Math.max(peer.maxWindow, window);
                if (ack > peer.acked) {
                    peer.acked = ack;
                    reassembly.acknowledged(flow, peer);
                }
            }
        }
        if (flow.timestamps && f.hasTimestamps && f.tsVal - s.tsRecent > 0) {
            s.tsRecent = f.tsVal;
        }
    }
}
