package io.xdpgate.controlplane.connections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Removes connections idle longer than their timeout. The kernel stamps last_seen_ns with
 * CLOCK_MONOTONIC (coarse); {@link System#nanoTime()} reads the same clock on Linux.
 */
public final class ConnectionGc {
    private static final Logger LOG = Logger.getLogger(ConnectionGc.class.getName());

    private final ConnectionTable table;
    private final IdleTimeouts timeouts;
    private final LongSupplier monotonicNanos;
    private final AtomicLong removedIdle = new AtomicLong();
    private final AtomicLong removedClosed = new AtomicLong();
    private volatile int counted;

    public ConnectionGc(ConnectionTable table, IdleTimeouts timeouts, LongSupplier monotonicNanos) {
        this.table = table;
        this.timeouts = timeouts;
        this.monotonicNanos = monotonicNanos;
    }

    /** One pass over the table; returns how many connections it removed. Recounts the sources after. */
    public int sweep() {
        long now = monotonicNanos.getAsLong();
        int removed = 0;
        List<Connection> kept = new ArrayList<>();
        for (Connection c : table.list()) {
            Duration idle = Duration.ofNanos(Math.max(0, now - c.entry().lastSeenNs()));
            if (idle.compareTo(timeouts.of(c)) <= 0) {
                kept.add(c);
                continue;
            }
            if (table.remove(c)) {
                removed++;
                (IdleTimeouts.isClosed(c) ? removedClosed : removedIdle).incrementAndGet();
            }
        }
        table.recountSources(kept);
        counted = kept.size();
        if (removed > 0) {
            int n = removed;
            LOG.fine(() -> "GC removed " + n + " connections");
        }
        return removed;
    }

    /** Connections the table held after the last sweep (0 before the first): a count a scrape can read without a walk. */
    public int counted() {
        return counted;
    }

    /** Connections removed because they were idle too long. */
    public long removedIdle() {
        return removedIdle.get();
    }

    /** Connections removed after they closed (FIN from both sides or RST). */
    public long removedClosed() {
        return removedClosed.get();
    }
}
