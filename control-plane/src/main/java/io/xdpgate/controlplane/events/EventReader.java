package io.xdpgate.controlplane.events;

import io.xdpgate.abi.Event;
import io.xdpgate.datapath.bpf.BpfMap;
import io.xdpgate.datapath.bpf.RingBuffer;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread that drains the kernel's {@code events} ring buffer into an {@link EventLog}. It
 * waits at most {@link #POLL_MS} per poll, then reads whatever is there: the kernel wakes it only
 * once 64 events wait, so an event is read at most that late. {@link #stop} returns promptly;
 * stop joins the thread before the ring is freed.
 */
public final class EventReader {
    private static final Logger LOG = Logger.getLogger(EventReader.class.getName());
    /** Longest wait for records; also how late a rate-limit summary can be, and how long stop may wait. */
    static final int POLL_MS = 100;
    private static final long JOIN_MS = 10_000;
    private static final long BACKOFF_MS = 1_000;

    private final BpfMap events;
    private final EventLog log;
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean running;
    private RingBuffer ring;
    private volatile Thread thread;

    public EventReader(BpfMap events, EventLog log) {
        this.events = events;
        this.log = log;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the event reader runs already");
        }
        ring = RingBuffer.open(events, this::deliver);
        running = true;
        thread = new Thread(this::run, "xdpgate-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread and waits for it; then frees the ring. Safe to call twice. */
    public synchronized void stop() throws InterruptedException {
        if (thread == null) {
            return;
        }
        running = false;
        thread.join(JOIN_MS);
        if (thread.isAlive()) {
            // Freeing the ring under a thread that still polls it would be a use after free.
            LOG.warning("the event reader did not stop within " + JOIN_MS + " ms; its ring buffer is left open");
            return;
        }
        thread = null;
        ring.close();
        ring = null;
    }

    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** The reading thread while started; null before start and after stop. */
    Thread thread() {
        return thread;
    }

    /** Records that could not be decoded (a newer program's type, say): counted and skipped. */
    public long malformed() {
        return malformed.get();
    }

    private void run() {
        while (running) {
            try {
                ring.poll(POLL_MS);
                // the kernel wakes this thread only once a batch waits: what came since is read
                // when the poll times out (libbpf's poll consumes only rings that woke it)
                ring.consume();
                log.tick();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "reading flow events failed; retrying in " + BACKOFF_MS + " ms", e);
                pause();
            }
        }
        try {
            ring.consume(); // what arrived during the last wait
            log.tick();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reading the last flow events failed", e);
        }
    }

    private void deliver(ByteBuffer record) {
        Event e;
        try {
            e = Event.CODEC.decode(record);
        } catch (RuntimeException bad) {
            if (malformed.incrementAndGet() == 1) {
                LOG.log(Level.WARNING, "skipping a flow event that cannot be decoded (" + record.remaining()
                        + " bytes); later ones are only counted", bad);
            }
            return;
        }
        log.accept(e);
    }

    private void pause() {
        try {
            Thread.sleep(BACKOFF_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
