package io.xdpgate.controlplane.events;

import io.xdpgate.abi.EventType;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Tuple;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per flow event on the logger {@value #LOGGER}, in key=value form that joins the
 * original 5-tuple and the NAT tuple. What the firewall decided beyond a plain pass is logged
 * at INFO: redirects (and the end of a redirected connection) and drops; the start and end of a
 * connection the policy simply passed are at FINE (DEBUG), as a firewall logs what a rule asks
 * for, not every admitted connection: two console lines per connection cost the daemon about
 * 10 us of CPU each, a fifth of the lab's new connections per second on 2 cores.
 *
 * <pre>
 * event=redirect conn=281474976710657 orig=tcp 198.18.1.2:40312 -> 198.18.2.2:80 nat=tcp 198.18.1.2:40312 -> 198.18.255.1:40000 rule=web gateway=http
 * event=drop orig=tcp 198.18.1.2:40314 -> 198.18.2.2:23 rule=default reason=default
 * </pre>
 *
 * Drops come from outside and can come as a flood, so at most {@code dropLinesPerSecond} drop
 * lines are written per second; the rest are counted, and when the second is over one line says
 * how many were left out: {@code event=drop-suppressed count=1234 limit=100/s}. Not thread-safe:
 * one reader thread logs (the counter may be read from anywhere).
 */
public final class FlowLog {
    /** The logger flow lines go to; route or silence it in the logging configuration. */
    public static final String LOGGER = "xdpgate.flows";
    static final long WINDOW_NS = 1_000_000_000L;

    private final Logger logger;
    private final int dropLinesPerSecond;
    private final LongSupplier monotonicNanos;
    private final AtomicLong suppressed = new AtomicLong();
    private boolean windowOpen;
    private long windowStart;
    private int dropLinesInWindow;
    private long suppressedInWindow;

    public FlowLog(int dropLinesPerSecond, LongSupplier monotonicNanos) {
        this(Logger.getLogger(LOGGER), dropLinesPerSecond, monotonicNanos);
    }

    FlowLog(Logger logger, int dropLinesPerSecond, LongSupplier monotonicNanos) {
        if (dropLinesPerSecond < 0) {
            throw new IllegalArgumentException("drop lines per second cannot be negative: " + dropLinesPerSecond);
        }
        this.logger = logger;
        this.dropLinesPerSecond = dropLinesPerSecond;
        this.monotonicNanos = monotonicNanos;
    }

    /** Writes the event's line, unless it is a drop over this second's limit. */
    public void log(FlowEvent e) {
        Level level = levelOf(e);
        if (!logger.isLoggable(level)) {
            return;
        }
        if (e.type() == EventType.DROP && !admitDrop(monotonicNanos.getAsLong())) {
            return;
        }
        logger.log(level, line(e));
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

    /** Closes a finished second: writes its suppression summary. Call it regularly, events or not. */
    public void tick() {
        closeWindowIfOver(monotonicNanos.getAsLong());
    }

    /** Drop lines left out since start. */
    public long suppressed() {
        return suppressed.get();
    }

    private boolean admitDrop(long now) {
        closeWindowIfOver(now);
        if (!windowOpen) {
            windowOpen = true;
            windowStart = now;
            dropLinesInWindow = 0;
            suppressedInWindow = 0;
        }
        if (dropLinesInWindow < dropLinesPerSecond) {
            dropLinesInWindow++;
            return true;
        }
        suppressedInWindow++;
        suppressed.incrementAndGet();
        return false;
    }

    private void closeWindowIfOver(long now) {
        if (windowOpen && now - windowStart >= WINDOW_NS) {
            if (suppressedInWindow > 0) {
                logger.warning(summaryLine(suppressedInWindow, dropLinesPerSecond));
            }
            windowOpen = false;
            suppressedInWindow = 0;
        }
    }

    static String summaryLine(long count, int limit) {
        return "event=drop-suppressed count=" + count + " limit=" + limit + "/s";
    }

    /** The event's line (see the class comment); keys are left out where they have no value. */
    public static String line(FlowEvent e) {
        StringBuilder b = new StringBuilder(160).append("event=").append(e.typeName());
        if (e.connId() != 0) {
            b.append(" conn=").append(Long.toUnsignedString(e.connId()));
        }
        b.append(" orig=").append(tuple(e.original()));
        if (e.nat() != null) {
            b.append(" nat=").append(tuple(e.nat()));
        }
        b.append(" rule=").append(e.rule() != null ? e.rule() : "#" + e.ruleId());
        if (e.gatewayId() != null) {
            b.append(" gateway=").append(e.gateway() != null ? e.gateway() : "#" + e.gatewayId());
        }
        if (e.reason() != null) {
            b.append(" reason=").append(e.reasonName());
        }
        return b.toString();
    }

    /** {@code tcp 198.18.1.2:40312 -> 198.18.2.2:80}; IPv6 addresses in brackets. */
    public static String tuple(Tuple t) {
        return IpProto.name(t.proto()).replace(' ', '-') + " " + endpoint(t.saddr(), t.sport()) + " -> "
                + endpoint(t.daddr(), t.dport());
    }

    private static String endpoint(IpAddr addr, int port) {
        return (addr.isIpv4() ? addr.toString() : "[" + addr + "]") + ":" + port;
    }
}
