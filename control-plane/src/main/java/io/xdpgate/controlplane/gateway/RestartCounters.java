package io.xdpgate.controlplane.gateway;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Restarts per gateway name and cause, since the daemon started; a gateway's counters exist (at
 * zero) from the moment it is first hosted and stay after it left the policy (counters only grow).
 */
public final class RestartCounters {
    private final Map<String, Map<RestartCause, AtomicLong>> counts = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** Makes the counters of {@code gateway} exist. */
    void ensure(String gateway) {
        if (!counts.containsKey(gateway)) {
            Map<RestartCause, AtomicLong> m = new EnumMap<>(RestartCause.class);
            for (RestartCause c : RestartCause.values()) {
                m.put(c, new AtomicLong());
            }
            if (counts.putIfAbsent(gateway, m) == null) {
                listeners.forEach(l -> l.accept(gateway));
            }
        }
    }

    void increment(String gateway, RestartCause cause) {
        ensure(gateway);
        counts.get(gateway).get(cause).incrementAndGet();
    }

    public long get(String gateway, RestartCause cause) {
        Map<RestartCause, AtomicLong> m = counts.get(gateway);
        return m == null ? 0 : m.get(cause).get();
    }

    /** By cause key ("died", "stalled"), every cause present. */
    public Map<String, Long> of(String gateway) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (RestartCause c : RestartCause.values()) {
            out.put(c.key(), get(gateway, c));
        }
        return out;
    }

    /** The gateways with counters so far. */
    public java.util.Set<String> gateways() {
        return java.util.Set.copyOf(counts.keySet());
    }

    /** Called with each gateway name as its counters come into existence (for metrics). */
    public void onNewGateway(Consumer<String> listener) {
        listeners.add(listener);
    }
}
