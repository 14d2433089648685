package io.xdpgate.gateways.dns;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The queries of one flow awaiting their response: a response passes only if it answers one
 * of them (same id, name, type and class), and takes it off, so each query gets one response. At
 * most {@code max} wait; a query beyond pushes out the oldest. Small and linear: a client has a
 * handful in flight.
 */
final class Outstanding {
    private record Query(int id, String name, int type, int qclass) {
    }

    private final ArrayDeque<Query> waiting = new ArrayDeque<>();
    private final int max;

    Outstanding(int max) {
        this.max = max;
    }

    void add(DnsMessage q) {
        if (waiting.size() >= max) {
            waiting.removeFirst();
        }
        waiting.addLast(new Query(q.id(), q.name(), q.type(), q.qclass()));
    }

    /** Whether {@code r} answers a waiting query; if so, that query is answered. */
    boolean answer(DnsMessage r) {
        for (Iterator<Query> it = waiting.iterator(); it.hasNext(); ) {
            Query q = it.next();
            if (q.id == r.id() && q.type == r.type() && q.qclass == r.qclass() && q.name.equals(r.name())) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    int size() {
        return waiting.size();
    }
}
