package io.xdpgate.controlplane.events;

import io.xdpgate.abi.EventType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients following the events live (GET /api/v1/events?follow=true): at most {@code max} at
 * once, each with its own bounded queue, so neither many clients nor a slow one can hold up the
 * event reader, which only ever offers (see {@link Follower}).
 */
public final class Followers implements AutoCloseable {
    private final EventLog log;
    private final int max;
    private final int queueCapacity;
    private final Set<Follower> active = new LinkedHashSet<>();
    private final AtomicLong lost = new AtomicLong();

    /**
     * @param max           followers at once; one more is refused
     * @param queueCapacity events waiting for one follower's writer; more are dropped and counted
     */
    public Followers(EventLog log, int max, int queueCapacity) {
        if (max < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("followers need max >= 1 and a queue of at least one event, not max="
                    + max + ", queue=" + queueCapacity);
        }
        this.log = log;
        this.max = max;
        this.queueCapacity = queueCapacity;
    }

    /**
     * A new follower of the events that match (null: any type, any connection), receiving from now on.
     *
     * @throws TooManyFollowers when {@link #max} follow already
     */
    public Follower follow(EventType type, Long connId) {
        Follower f = new Follower(queueCapacity, type, connId, this);
        synchronized (this) {
            if (active.size() >= max) {
                throw new TooManyFollowers(max);
            }
            active.add(f);
        }
        f.subscribed(log.subscribe(f::offer));
        return f;
    }

    void closed(Follower f) {
        synchronized (this) {
            active.remove(f);
        }
    }

    void countLost() {
        lost.incrementAndGet();
    }

    public int max() {
        return max;
    }

    public synchronized int count() {
        return active.size();
    }

    /** Events dropped since start because a follower's queue was full (all followers). */
    public long lost() {
        return lost.get();
    }

    /** Ends every follower (the daemon stops): their writers finish their streams. */
    @Override
    public void close() {
        List<Follower> all;
        synchronized (this) {
            all = new ArrayList<>(active);
        }
        all.forEach(Follower::close);
    }

    /** The limit of followers is reached. */
    public static final class TooManyFollowers extends RuntimeException {
        private final int max;

        TooManyFollowers(int max) {
            super("at most " + max + " clients may follow the events at once; try again when one has stopped");
            this.max = max;
        }

        public int max() {
            return max;
        }
    }
}
