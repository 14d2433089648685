package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_HELD_LIMIT;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.DROP_HELD_TOTAL;

/**
 * What the runtime may hold: frames (UMEM chunks kept until approved) and bytes (their payload
 * plus the released bytes kept until acknowledged), per connection and in total.
 *
 * <p>A connection over its own budget has its new segments refused ({@code DROP_HELD_LIMIT}):
 * the sender retransmits, and one connection cannot starve the others. Past three quarters of
 * the total the allowance of every connection shrinks with what is left (to nothing at the
 * limit), so the connections holding the most are refused first ({@code DROP_HELD_TOTAL}).
 */
final class HoldBudget {
    /** The share of the total from which the connections' allowance shrinks. */
    private static final double PRESSURE = 0.75;

    private final int flowFrames;
    private final long flowBytes;
    private final int totalFrames;
    private final long totalBytes;
    private int frames;
    private long bytes;
    private volatile int framesSeen;
    private volatile long bytesSeen;

    HoldBudget(GatewayRuntime.Limits limits) {
        this.flowFrames = limits.maxHeldFramesPerFlow();
        this.flowBytes = limits.maxHeldBytesPerFlow();
        this.totalFrames = limits.maxHeldFramesTotal();
        this.totalBytes = limits.maxHeldBytesTotal();
    }

    /** Whether {@code flow} may hold one more frame of {@code n} payload bytes: null, or the counter of the refusal. */
    RuntimeStats.Counter admit(Flow flow, int n) {
        if (flow.heldFrames + 1 > flowFrames || flow.heldBytes + n > flowBytes) {
            return DROP_HELD_LIMIT;
        }
        if (frames + 1 > totalFrames || bytes + n > totalBytes) {
            return DROP_HELD_TOTAL;
        }
        double used = Math.max((double) frames / totalFrames, (double) bytes / totalBytes);
        if (used > PRESSURE) {
            double share = (1 - used) / (1 - PRESSURE);
            if (flow.heldFrames + 1 > flowFrames * share || flow.heldBytes + n > flowBytes * share) {
                return DROP_HELD_TOTAL;
            }
        }
        return null;
    }

    /** Adds (or with negative values gives back) frames and bytes held by {@code flow}. */
    void charge(Flow flow, int dFrames, long dBytes) {
        flow.heldFrames += dFrames;
        flow.heldBytes += dBytes;
        frames += dFrames;
        bytes += dBytes;
        framesSeen = frames;
        bytesSeen = bytes;
    }

    /** Frames held now in total (read from any thread: a recent value). */
    int frames() {
        return framesSeen;
    }

    /** Bytes held now in total, held payload and released-unacked (read from any thread). */
    long bytes() {
        return bytesSeen;
    }
}
