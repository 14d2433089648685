package io.xdpgate.controlplane.events;

import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.abi.Event;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What becomes of a kernel event: numbered, stamped with wall-clock time, named after the policy
 * in force, kept among the recent events and written to the flow log. Pure Java; the
 * {@link EventReader} feeds it from the ring buffer, tests feed it directly. One thread calls
 * {@link #accept} and {@link #tick}; reading the recent events is safe from any thread.
 */
public final class EventLog {
    private final RecentEvents recent;
    private final FlowLog flowLog;
    private final Supplier<PolicyDocument> policy;
    private final Clock wallClock;
    private final LongSupplier monotonicNanos;
    private final AtomicLong seq = new AtomicLong();
    private final List<Consumer<FlowEvent>> subscribers = new CopyOnWriteArrayList<>();

    /**
     * @param policy         the policy in force (PolicyService::current); null while none is
     * @param monotonicNanos CLOCK_MONOTONIC, the clock of the kernel's ts_ns ({@link System#nanoTime()})
     */
    public EventLog(RecentEvents recent, FlowLog flowLog, Supplier<PolicyDocument> policy, Clock wallClock,
                    LongSupplier monotonicNanos) {
        this.recent = recent;
        this.flowLog = flowLog;
        this.policy = policy;
        this.wallClock = wallClock;
        this.monotonicNanos = monotonicNanos;
    }

    public FlowEvent accept(Event e) {
        FlowEvent flow = FlowEvent.of(seq.incrementAndGet(), wallTime(e.tsNs()), e, policy.get());
        recent.add(flow);
        flowLog.log(flow);
        for (Consumer<FlowEvent> s : subscribers) {
            s.accept(flow);
        }
        return flow;
    }

    /**
     * Hands every event from now on to {@code subscriber}, on the thread that calls {@link #accept}
     * (the event reader): it must return at once and never throw (see {@link Followers}, which
     * queues). Added after the event is among the recent ones, so a subscriber that reads
     * {@link #recent} after subscribing misses none (and may see one twice: compare seq).
     *
     * @return ends the subscription
     */
    public Runnable subscribe(Consumer<FlowEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Lets the flow log close a finished rate-limit second; the reader calls it after every poll. */
    public void tick() {
        flowLog.tick();
    }

    public RecentEvents recent() {
        return recent;
    }

    /** Events received since start. */
    public long received() {
        return seq.get();
    }

    /** Drop lines the flow log left out since start (the events are still in {@link #recent}). */
    public long suppressedLogLines() {
        return flowLog.suppressed();
    }

    /** The kernel stamps CLOCK_MONOTONIC (coarse); now minus the event's age on that clock. */
    private Instant wallTime(long tsNs) {
        long ageNs = Math.max(0, monotonicNanos.getAsLong() - tsNs);
        return wallClock.instant().minusNanos(ageNs);
    }
}
