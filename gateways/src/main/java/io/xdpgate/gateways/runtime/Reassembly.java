package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.BYTES_CLIENT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.BYTES_SERVER;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_HELD_LIMIT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_ALLOWED;

import io.xdpgate.gateways.spi.Verdict;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reassembly of one direction of a connection with hold and release: segments are held in
 * stream order, their contiguous bytes handed to the session once, and a held segment is
 * released (sent on unchanged) only when the session approved all of its bytes.
 */
final class Reassembly {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");

    private final String name;
    private final FrameOut out;
    private final RuntimeStats stats;
    private final int maxHeldPerDirection;

    Reassembly(String name, FrameOut out, RuntimeStats stats, int maxHeldPerDirection) {
        this.name = name;
        this.out = out;
        this.stats = stats;
        this.maxHeldPerDirection = maxHeldPerDirection;
    }

    /** Holds the frame {@code f} (at {@code handle}); false when the direction holds too much (dropped). */
    boolean hold(TcpStream s, TcpFrame f, long handle, int len, long start, long end, boolean fin) {
        if (s.held.size() >= maxHeldPerDirection) {
            out.drop(handle, DROP_HELD_LIMIT);
            return false;
        }
        s.hold(new HeldSegment(handle, len, start, end, fin, f.payload - f.base));
        return true;
    }

    /**
     * Hands the session every held byte that is now contiguous; the session's refusal when it
     * denied (nothing more is fed), else null. An AllowFlow turns the flow {@link Flow.State#ALLOWED}.
     */
    Verdict.Deny feedInOrder(Flow flow, TcpStream s, boolean fromClient) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < s.held.size(); i++) {
                HeldSegment seg = s.held.get(i);
                if (seg.start > s.fed) {
                    break; // sorted: a gap remains
                }
                if (seg.end > s.fed) {
                    Verdict.Deny deny = feed(flow, s, fromClient, seg);
                    if (deny != null) {
                        return deny;
                    }
                    progress = true;
                }
                if (seg.fin && seg.end == s.fed && !s.finFed) {
                    s.finFed = true;
                }
            }
        }
        return null;
    }

    private Verdict.Deny feed(Flow flow, TcpStream s, boolean fromClient, HeldSegment seg) {
        int skip = (int) (s.fed - seg.start);
        int n = (int) (seg.end - s.fed);
        ByteBuffer bytes = out.memory().slice((int) seg.handle + seg.payloadAt + skip, n).asReadOnlyBuffer();
        long offset = s.fed;
        s.fed = seg.end;
        stats.add(fromClient ? BYTES_CLIENT : BYTES_SERVER, n);
        Verdict v;
        try {
            v = fromClient ? flow.session.onClientBytes(offset, bytes) : flow.session.onServerBytes(offset, bytes);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + " conn=" + flow.origin.connectionId() + " failed", e);
            v = Verdict.deny("the gateway failed on this connection: " + e);
        }
        if (v instanceof Verdict.Approve a) {
            s.approved = Math.max(s.approved, a.through());
            return null;
        }
        if (v instanceof Verdict.AllowFlow) {
            flow.state = Flow.State.ALLOWED;
            stats.inc(FLOWS_ALLOWED);
            return null;
        }
        return (Verdict.Deny) v;
    }

    /** Sends the held segments whose bytes were all handed over and approved, in stream order. */
    void release(Flow flow, TcpStream s) {
        Iterator<HeldSegment> it = s.held.iterator();
        while (it.hasNext()) {
            HeldSegment seg = it.next();
            if (seg.start > s.fed) {
                break;
            }
            if (seg.end <= s.fed && seg.end <= s.approved && (!seg.fin || s.finFed)) {
                it.remove();
                out.send(seg);
                s.released = Math.max(s.released, seg.stop());
            }
        }
        noteFinished(flow);
    }

    /** Sends everything held in both directions: the session let the whole flow through. */
    void releaseAll(Flow flow) {
        for (TcpStream s : flow.streams()) {
            for (HeldSegment seg : s.held) {
                out.send(seg);
                s.released = Math.max(s.released, seg.stop());
            }
            s.held.clear();
        }
    }

    private static void noteFinished(Flow flow) {
        if (flow.client.finFed && flow.server.finFed && flow.client.held.isEmpty() && flow.server.held.isEmpty()) {
            flow.finishing = true;
        }
    }

    /** Whether a retransmission {@code f} of [start, end) carries the same bytes as the held segments it overlaps. */
    boolean matchesHeld(TcpStream s, TcpFrame f, long start, long end) {
        ByteBuffer mem = out.memory();
        int newPayload = f.payload;
        for (HeldSegment seg : s.held) {
            long from = Math.max(start, seg.start);
            long to = Math.min(end, seg.end);
            for (long o = from; o < to; o++) {
                byte held = mem.get((int) (seg.handle + seg.payloadAt + (o - seg.start)));
                byte again = mem.get((int) (newPayload + (o - start)));
                if (held != again) {
                    return false;
                }
            }
        }
        return true;
    }
}
