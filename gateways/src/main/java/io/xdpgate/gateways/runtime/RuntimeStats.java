package io.xdpgate.gateways.runtime;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The runtime's counters. One thread writes (the socket's), any thread reads a snapshot; a
 * single writer lets increments be plain read-then-ordered-write.
 */
public final class RuntimeStats {
    public enum Counter {
        FRAMES_IN, FRAMES_OUT, FRAMES_CRAFTED,
        FLOWS_OPENED, FLOWS_ALLOWED, FLOWS_DENIED, FLOWS_CLOSED, FLOWS_EXPIRED,
        BYTES_CLIENT, BYTES_SERVER,
        /** frames dropped, one counter per reason: */
        DROP_MALFORMED, DROP_NO_METADATA, DROP_NO_FLOW, DROP_MIDSTREAM, DROP_DUPLICATE, DROP_HELD_LIMIT,
        DROP_FLOW_LIMIT, DROP_DENIED, DROP_TX_FULL, DROP_NO_FRAME, DROP_SYN_DATA,
        /** stream normalization, one counter per decision (gateways/README.md, "Stream normalization"): */
        DROP_BAD_CHECKSUM, DROP_TTL, DROP_IP_OPTIONS, DROP_TCP_OPTIONS, DROP_UNEXPECTED_SYN, DROP_BAD_ACK,
        DROP_OUT_OF_WINDOW, DROP_PAWS, DROP_BEYOND_FIN, DROP_RST_WINDOW,
        /** the hold budget: a flow over its own (DROP_HELD_LIMIT), the total near its limit, out-of-order segments dropped for room: */
        DROP_HELD_TOTAL, DROP_OOO_PRUNED,
        /** segments changed or passed on purpose: URG cleared, a RST in the window but not exact passed for a challenge ACK: */
        NORMALIZED_URG, RST_CHALLENGE,
        /** connections refused by the runtime itself: a retransmission changed inspected bytes, the hold budget ran out undecided: */
        DENY_CHANGED_BYTES, DENY_HELD_BUDGET,
        /** datagrams the gateway refused (dropped, or answered in the server's place), answers sent, answers too big for a frame: */
        DATAGRAMS_REFUSED, DATAGRAMS_ANSWERED, DROP_ANSWER_SIZE;

        /** As reported by the API: lower case. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);

    void inc(Counter c) {
        add(c, 1);
    }

    void add(Counter c, long n) {
        int i = c.ordinal();
        values.lazySet(i, values.get(i) + n);
    }

    public long get(Counter c) {
        return values.get(c.ordinal());
    }

    public Map<Counter, Long> snapshot() {
        Map<Counter, Long> out = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            out.put(c, get(c));
        }
        return out;
    }
}
