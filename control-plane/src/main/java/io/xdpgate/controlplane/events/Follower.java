package io.xdpgate.controlplane.events;

import io.xdpgate.abi.EventType;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client following the events: the matching events wait in a bounded queue between the event
 * reader, which offers and never waits, and the client's own writer, which takes. When the queue
 * is full the event is dropped and counted, and the next event that fits carries that count, so
 * the writer can say how many were lost right where they were. Made by {@link Followers}.
 */
public final class Follower implements AutoCloseable {
    /** An event, and how many before it were dropped since the last one delivered (0: none). */
    public record Item(FlowEvent event, long lostBefore) {
    }

    private static final Item CLOSED = new Item(null, 0);

    private final BlockingQueue<Item> queue;
    private final EventType type;
    private final Long connId;
    private final Followers owner;
    private final AtomicLong lost = new AtomicLong();
    /** Dropped since the last event queued; only the offering thread touches it. */
    private long lostSinceQueued;
    private volatile boolean closed;
    private Runnable unsubscribe;

    Follower(int capacity, EventType type, Long connId, Followers owner) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.type = type;
        this.connId = connId;
        this.owner = owner;
    }

    void subscribed(Runnable unsubscribe) {
        this.unsubscribe = unsubscribe;
    }

    /** On the event reader's thread: queues the event if it matches and there is room, else counts it lost. */
    void offer(FlowEvent e) {
        if (closed || !e.matches(type, connId)) {
            return;
        }
        if (queue.offer(new Item(e, lostSinceQueued))) {
            lostSinceQueued = 0;
        } else {
            lostSinceQueued++;
            lost.incrementAndGet();
            owner.countLost();
        }
    }

    /** The next event, waiting at most {@code timeout}; null when none came in time or this follower is closed. */
    public Item next(long timeout, TimeUnit unit) throws InterruptedException {
        if (closed) {
            return null;
        }
        Item item = queue.poll(timeout, unit);
        return item == CLOSED ? null : item;
    }

    /**
     * Moves what else waits, up to {@code max}, into {@code to} without waiting, so a writer can
     * send a burst in one write.
     */
    public void drainTo(java.util.Collection<Item> to, int max) {
        if (closed) {
            return;
        }
        queue.drainTo(to, max);
        to.removeIf(i -> i == CLOSED);
    }

    /** Events this follower lost because its queue was full. */
    public long lost() {
        return lost.get();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops the events and frees the place among the followers; wakes a writer waiting in {@link #next}. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (unsubscribe != null) {
            unsubscribe.run();
        }
        owner.closed(this);
        queue.clear();
        queue.offer(CLOSED);
    }
}
