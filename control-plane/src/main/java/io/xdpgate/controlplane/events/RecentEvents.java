package io.xdpgate.controlplane.events;

import io.xdpgate.abi.EventType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** The last {@code capacity} flow events in memory, oldest first; the oldest goes when full. Thread-safe. */
public final class RecentEvents {
    private final int capacity;
    private final ArrayDeque<FlowEvent> events;

    public RecentEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the recent-events buffer needs room for at least one event, not "
                    + capacity);
        }
        this.capacity = capacity;
        this.events = new ArrayDeque<>(Math.min(capacity, 1 << 16));
    }

    public int capacity() {
        return capacity;
    }

    public synchronized void add(FlowEvent e) {
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(e);
    }

    public synchronized int size() {
        return events.size();
    }

    /**
     * The newest {@code limit} events that match ({@link FlowEvent#matches}), newest last.
     */
    public synchronized List<FlowEvent> find(int limit, EventType type, Long connId) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        List<FlowEvent> newestFirst = new ArrayList<>(Math.min(limit, events.size()));
        for (Iterator<FlowEvent> it = events.descendingIterator(); it.hasNext() && newestFirst.size() < limit; ) {
            FlowEvent e = it.next();
            if (e.matches(type, connId)) {
                newestFirst.add(e);
            }
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The kept events after {@code seq} that match ({@link FlowEvent#matches}), oldest first. */
    public synchronized List<FlowEvent> after(long seq, EventType type, Long connId) {
        List<FlowEvent> newestFirst = new ArrayList<>();
        for (Iterator<FlowEvent> it = events.descendingIterator(); it.hasNext(); ) {
            FlowEvent e = it.next();
            if (e.seq() <= seq) {
                break;
            }
            if (e.matches(type, connId)) {
                newestFirst.add(e);
            }
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }
}
