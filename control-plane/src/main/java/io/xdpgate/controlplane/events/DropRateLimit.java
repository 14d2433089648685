package io.xdpgate.controlplane.events;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code perSecond} drop lines in any second that begins with a drop; the rest are
 * counted, and the count of a second is handed out once that second is over, for its summary
 * line. Drops come from outside and can come as a flood: this keeps a flood from filling the
 * log, whatever its format. Not thread-safe: one reader thread asks (the total may be read from
 * anywhere).
 */
final class DropRateLimit {
    static final long WINDOW_NS = 1_000_000_000L;

    private final int perSecond;
    private final AtomicLong suppressed = new AtomicLong();
    private boolean windowOpen;
    private long windowStart;
    private int admittedInWindow;
    private long suppressedInWindow;

    DropRateLimit(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("drop lines per second cannot be negative: " + perSecond);
        }
        this.perSecond = perSecond;
    }

    int perSecond() {
        return perSecond;
    }

    /** Whether a drop at {@code now} may be written; call {@link #closeIfOver} first. */
    boolean admit(long now) {
        if (!windowOpen) {
            windowOpen = true;
            windowStart = now;
            admittedInWindow = 0;
            suppressedInWindow = 0;
        }
        if (admittedInWindow < perSecond) {
            admittedInWindow++;
            return true;
        }
        suppressedInWindow++;
        suppressed.incrementAndGet();
        return false;
    }

    /** Closes the second if it is over at {@code now}: the drops it left out (0: none, or still open). */
    long closeIfOver(long now) {
        if (!windowOpen || now - windowStart < WINDOW_NS) {
            return 0;
        }
        long left = suppressedInWindow;
        windowOpen = false;
        suppressedInWindow = 0;
        return left;
    }

    /** Drops left out since start. */
    long suppressed() {
        return suppressed.get();
    }
}
