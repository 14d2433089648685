package io.xdpgate.controlplane.events;

import io.xdpgate.abi.EventType;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per flow event, in a {@link FlowFormat} (key=value {@link FlowText} by default, or
 * JSON {@link FlowRecord}), to a {@link FlowSink} (the logger {@value #LOGGER} by default,
 * stdout or a rotated file). What the firewall decided beyond a plain pass is at INFO: redirects
 * (and the end of a redirected connection) and drops; the start and end of a connection the
 * policy simply passed are at FINE (DEBUG), as a firewall logs what a rule asks for, not every
 * admitted connection: two console lines per connection cost the daemon about 10 us of CPU
 * each, a fifth of the lab's new connections per second on 2 cores. A sink other than the logger
 * takes every level, and {@code passes} false leaves the FINE lines out there too.
 *
 * <p>Drops come from outside and can come as a flood, so at most {@code dropLinesPerSecond} drop
 * lines are written per second, in either format ({@link DropRateLimit}); the rest are counted,
 * and when the second is over one line says how many were left out. Not thread-safe: one reader
 * thread logs (the counters may be read from anywhere).
 */
public final class FlowLog implements AutoCloseable {
    /** The logger flow lines go to by default; route or silence it in the logging configuration. */
    public static final String LOGGER = "xdpgate.flows";
    static final long WINDOW_NS = DropRateLimit.WINDOW_NS;

    private final FlowFormat format;
    private final FlowSink sink;
    private final boolean passes;
    private final DropRateLimit drops;
    private final LongSupplier monotonicNanos;

    /** Text lines on the logger {@value #LOGGER}. */
    public FlowLog(int dropLinesPerSecond, LongSupplier monotonicNanos) {
        this(FlowText.INSTANCE, new LoggerSink(Logger.getLogger(LOGGER)), true, dropLinesPerSecond, monotonicNanos);
    }

    /**
     * @param passes whether the start and end of a plainly passed connection are written (on the
     *               logger also only where it logs FINE)
     */
    public FlowLog(FlowFormat format, FlowSink sink, boolean passes, int dropLinesPerSecond,
                   LongSupplier monotonicNanos) {
        this.drops = new DropRateLimit(dropLinesPerSecond);
        this.format = format;
        this.sink = sink;
        this.passes = passes;
        this.monotonicNanos = monotonicNanos;
    }

    /** Writes the event's line, unless it is a drop over this second's limit. */
    public void log(FlowEvent e) {
        Level level = levelOf(e);
        if ((level == Level.FINE && !passes) || !sink.wants(level)) {
            return;
        }
        if (e.type() == EventType.DROP) {
            long now = monotonicNanos.getAsLong();
            summarize(now);
            if (!drops.admit(now)) {
                return;
            }
        }
        sink.write(level, format.event(e));
    }

    /**
     * INFO for a redirect, a redirected connection's end, a drop, and a redirect rule's flow that
     * bypassed its down fail-open gateway (uninspected traffic the policy wanted inspected); FINE
     * for the start and end of a connection a pass rule admitted.
     */
    static Level levelOf(FlowEvent e) {
        boolean passed = (e.type() == EventType.NEW || e.type() == EventType.CLOSED) && e.nat() == null
                && e.gatewayId() == null;
        return passed ? Level.FINE : Level.INFO;
    }

    /**
     * Closes a finished second (writes its suppression summary) and hands buffered lines on. Call
     * it regularly, events or not: the reader does after every poll.
     */
    public void tick() {
        summarize(monotonicNanos.getAsLong());
        sink.flush();
    }

    private void summarize(long now) {
        long left = drops.closeIfOver(now);
        if (left > 0) {
            sink.write(Level.WARNING, format.suppressed(left, drops.perSecond()));
        }
    }

    /** Drop lines left out since start. */
    public long suppressed() {
        return drops.suppressed();
    }

    /** Lines the output could not take (disk full) since start. */
    public long lost() {
        return sink.lostLines();
    }

    /** Flushes and closes the output; once the reader has stopped. */
    @Override
    public void close() {
        sink.close();
    }
}
