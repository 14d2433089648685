package io.xdpgate.controlplane.config;

import java.util.HashMap;
import java.util.Map;

/**
 * A gateway's runtime counters summed over its instances so that the sum never goes down: a
 * restarted runtime counts from zero again, and what its predecessor counted (up to the last
 * observation) stays in. A rate over a partial restart would otherwise read a reset and jump.
 * Not thread-safe: its owner reads and writes it under its own lock.
 */
final class RuntimeTotals {
    /** The "instance" of the protocol gateway's own counters, which no runtime restart resets. */
    static final int PROTOCOL = -1;

    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, Long> total = new HashMap<>();

    /** The instance's counter now; 0 while it has no runtime. */
    void observe(int instance, String counter, long value) {
        String key = instance + "/" + counter;
        long before = last.getOrDefault(key, 0L);
        last.put(key, value);
        total.merge(counter, value >= before ? value - before : value, Long::sum);
    }

    /** Every counter observed so far, by name (a restarting runtime reports none: they stay). */
    Map<String, Long> all() {
        return Map.copyOf(total);
    }
}
