package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.BYTES_CLIENT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.BYTES_SERVER;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_DUPLICATE;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_HELD_LIMIT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_OOO_PRUNED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_ALLOWED;

import io.xdpgate.gateways.spi.Verdict;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reassembly of one direction of a connection with hold and release: segments are held in
 * stream order (within the {@link HoldBudget}), their contiguous bytes handed to the session
 * once, and a held segment is released (sent on unchanged) only when the session approved all
 * of its bytes and everything before it was released. Released bytes are kept until the
 * receiver acknowledges them, so that any copy of a byte the receiver may still read can be
 * compared with the one the gateway judged.
 */
final class Reassembly {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");

    /** What became of a segment offered for holding. */
    enum Hold {
        HELD,
        /** Dropped and counted: over a budget; the sender retransmits. */
        DROPPED,
        /** Dropped, and the connection can never get on: its budget is full of bytes awaiting a verdict. */
        STUCK
    }

    private final String name;
    private final FrameOut out;
    private final RuntimeStats stats;
    private final HoldBudget budget;

    Reassembly(String name, FrameOut out, RuntimeStats stats, HoldBudget budget) {
        this.name = name;
        this.out = out;
        this.stats = stats;
        this.budget = budget;
    }

    /**
     * Holds the frame {@code f} (at {@code handle}) covering [start, end) of {@code s}. When a
     * budget refuses it, segments of {@code s} that wait behind a gap further on than this one
     * are dropped for room first (they were never fed; their senders retransmit).
     */
    Hold hold(Flow flow, TcpStream s, IpFrame f, long handle, int len, long start, long end, boolean fin) {
        int n = f.payloadLen;
        RuntimeStats.Counter refused = budget.admit(flow, n);
        while (refused != null && pruneOne(flow, s, start)) {
            refused = budget.admit(flow, n);
        }
        if (refused != null) {
            out.drop(handle, refused);
            return refused == DROP_HELD_LIMIT && stuck(flow) ? Hold.STUCK : Hold.DROPPED;
        }
        s.hold(new HeldSegment(handle, len, start, end, fin, f.payload - f.base));
        budget.charge(flow, 1, n);
        return Hold.HELD;
    }

    /** Drops the furthest unfed segment of {@code s} that starts after {@code start}; false when there is none. */
    private boolean pruneOne(Flow flow, TcpStream s, long start) {
        for (int i = s.held.size() - 1; i >= 0; i--) {
            HeldSegment seg = s.held.get(i);
            if (!s.unfed(seg) || seg.start <= start) {
                return false;
            }
            s.held.remove(i);
            budget.charge(flow, -1, -(seg.end - seg.start));
            out.drop(seg.handle, DROP_OOO_PRUNED);
            return true;
        }
        return false;
    }

    /** Nothing it holds can go without a verdict on more bytes, and nothing waits for an acknowledgement. */
    private static boolean stuck(Flow flow) {
        for (TcpStream s : flow.streams()) {
            if (s.unacked.size() > 0) {
                return false;
            }
            for (HeldSegment seg : s.held) {
                if (s.unfed(seg)) {
                    return false;
                }
            }
        }
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
        if (flow.session == null) {
            // never reached: bytes are fed only before both FINs, and a session closes after them
            return (Verdict.Deny) Verdict.deny("the connection's session is closed");
        }
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

    /**
     * Sends the held segments whose bytes were all handed over and approved, in stream order:
     * none goes before every byte ahead of it went. Their bytes are kept until acknowledged; a
     * segment the receiver already had all of is freed instead.
     */
    void release(Flow flow, TcpStream s) {
        ByteBuffer mem = out.memory();
        Iterator<HeldSegment> it = s.held.iterator();
        while (it.hasNext()) {
            HeldSegment seg = it.next();
            if (seg.start > s.unacked.end()) {
                break; // bytes before it are not out yet
            }
            if (seg.end <= s.fed && seg.end <= s.approved && (!seg.fin || s.finFed)) {
                it.remove();
                budget.charge(flow, -1, -(seg.end - seg.start));
                if (seg.stop() <= s.released) {
                    out.drop(seg.handle, DROP_DUPLICATE);
                    continue;
                }
                int kept = s.unacked.append(mem, (int) seg.handle + seg.payloadAt, seg.start, seg.end);
                budget.charge(flow, 0, kept);
                out.send(seg);
                s.released = seg.stop();
            }
        }
        noteFinished(flow);
    }

    /** Sends everything held in both directions: the session let the whole flow through, nothing is compared again. */
    void releaseAll(Flow flow) {
        for (TcpStream s : flow.streams()) {
            for (HeldSegment seg : s.held) {
                budget.charge(flow, -1, -(seg.end - seg.start));
                out.send(seg);
                s.released = Math.max(s.released, seg.stop());
            }
            s.held.clear();
            budget.charge(flow, 0, -s.unacked.reset(s.released));
        }
    }

    /** The receiver acknowledged [0, s.acked): those released bytes need not be kept. */
    void acknowledged(Flow flow, TcpStream s) {
        budget.charge(flow, 0, -s.unacked.trimTo(s.acked));
    }

    /** Frees everything the connection holds and keeps; nothing of it is delivered. */
    void discard(Flow flow) {
        for (TcpStream s : flow.streams()) {
            for (HeldSegment seg : s.held) {
                budget.charge(flow, -1, -(seg.end - seg.start));
                out.free(seg.handle);
            }
            s.held.clear();
            budget.charge(flow, 0, -s.unacked.reset(s.released));
        }
    }

    private static void noteFinished(Flow flow) {
        if (flow.client.finFed && flow.server.finFed && flow.client.held.isEmpty() && flow.server.held.isEmpty()) {
            flow.finishing = true;
        }
    }

    /**
     * Whether the payload of {@code f}, covering [start, end) of {@code s}, carries the same
     * bytes as every copy the receiver may still read: the released-unacknowledged bytes and
     * each held segment it overlaps (fed or not).
     */
    boolean matches(TcpStream s, IpFrame f, long start, long end) {
        ByteBuffer mem = out.memory();
        if (!s.unacked.matches(mem, f.payload, start, end)) {
            return false;
        }
        for (HeldSegment seg : s.held) {
            long from = Math.max(start, seg.start);
            long to = Math.min(end, seg.end);
            int heldAt = (int) (seg.handle + seg.payloadAt + (from - seg.start));
            int newAt = (int) (f.payload + (from - start));
            for (int i = 0; i < to - from; i++) {
                if (mem.get(heldAt + i) != mem.get(newAt + i)) {
                    return false;
                }
            }
        }
        return true;
    }
}
