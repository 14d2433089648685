package io.xdpgate.controlplane.policy;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the policy applies since the daemon started, for /metrics and /healthz:
 * how many were applied, refused by the checks ({@code invalid}) or failed on the node and
 * rolled back ({@code failed}); the generation (applies that took effect since start, so the
 * policy loaded at start is generation 1) and when the one in force took effect.
 * Read from any thread.
 */
public final class PolicyApplies {
    /** How an apply ended. */
    public enum Result {
        APPLIED, INVALID, FAILED;

        /** The metric label's value. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Clock clock;
    private final AtomicLong[] counts = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private volatile Instant appliedAt;

    public PolicyApplies(Clock clock) {
        this.clock = clock;
    }

    void record(Result result) {
        counts[result.ordinal()].incrementAndGet();
        if (result == Result.APPLIED) {
            appliedAt = clock.instant();
        }
    }

    /** Applies that ended with {@code result}. */
    public long count(Result result) {
        return counts[result.ordinal()].get();
    }

    /** Applies that took effect since start; 0 while none has. */
    public long generation() {
        return count(Result.APPLIED);
    }

    /** When the policy in force was applied; null before the first. */
    public Instant appliedAt() {
        return appliedAt;
    }
}
