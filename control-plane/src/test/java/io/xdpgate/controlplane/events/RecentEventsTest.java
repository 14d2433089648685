package io.xdpgate.controlplane.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Stat;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentEventsTest {
    private static FlowEvent event(long seq, EventType type, long conn) {
        return new FlowEvent(seq, Instant.EPOCH, type, conn, FlowLogTest.ORIG, null, 0L, "r", null, null,
                type == EventType.DROP ? Stat.DROP_POLICY : null);
    }

    private static List<Long> seqs(List<FlowEvent> events) {
        return events.stream().map(FlowEvent::seq).toList();
    }

    private final RecentEvents recent = new RecentEvents(5);
    private long seq;

    /** Pairs of type and connection id; numbered 1, 2, ... */
    private void add(Object... typeAndConn) {
        for (int i = 0; i < typeAndConn.length; i += 2) {
            recent.add(event(++seq, (EventType) typeAndConn[i], (Integer) typeAndConn[i + 1]));
        }
    }

    @Test
    void keepsTheNewestUpToCapacityNewestLast() {
        add(EventType.NEW, 1, EventType.NEW, 2, EventType.NEW, 3, EventType.NEW, 4, EventType.NEW, 5,
                EventType.NEW, 6, EventType.NEW, 7);
        assertEquals(5, recent.size());
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), seqs(recent.find(100, null, null)));
        assertEquals(List.of(6L, 7L), seqs(recent.find(2, null, null)));
    }

    @Test
    void filtersByTypeAndConnectionThenLimits() {
        add(EventType.NEW, 1, EventType.REDIRECT, 2, EventType.DROP, 0, EventType.CLOSED, 1, EventType.REDIRECT, 3);
        assertEquals(List.of(2L, 5L), seqs(recent.find(10, EventType.REDIRECT, null)));
        assertEquals(List.of(5L), seqs(recent.find(1, EventType.REDIRECT, null)));
        assertEquals(List.of(1L, 4L), seqs(recent.find(10, null, 1L)));
        assertEquals(List.of(4L), seqs(recent.find(10, EventType.CLOSED, 1L)));
        assertEquals(List.of(), recent.find(10, EventType.CLOSED, 2L));
    }

    @Test
    void limitAndCapacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> recent.find(0, null, null));
        assertThrows(IllegalArgumentException.class, () -> new RecentEvents(0));
    }

    @Test
    void afterASeqAreTheKeptOnesThatFollowItOldestFirst() {
        add(EventType.NEW, 1, EventType.CLOSED, 1, EventType.NEW, 2, EventType.NEW, 3, EventType.CLOSED, 3,
                EventType.DROP, 0);
        assertEquals(List.of(4L, 5L, 6L), seqs(recent.after(3, null, null)));
        assertEquals(List.of(5L), seqs(recent.after(3, EventType.CLOSED, null)));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), seqs(recent.after(0, null, null)), "all that are kept");
        assertEquals(List.of(), seqs(recent.after(6, null, null)));
    }
}
