package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.netlink.Link;
import io.xdpgate.datapath.netlink.LinkEvents;
import io.xdpgate.datapath.netlink.MalformedNetlinkMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Keeps the pattern-selected interfaces attached as links come and go (pods' veths): subscribed to
 * rtnetlink's link events, it is woken by them but always re-lists every link and hands the whole
 * list to the {@link LinkReconciler}, so what an event says is never trusted alone. A full socket
 * buffer (ENOBUFS) or a datagram that does not parse loses events: that is counted and logged,
 * and the re-list that follows covers it. It also re-lists on its own every {@code resyncInterval},
 * and sooner while an attach waits for a retry. The subscription is opened before the first list,
 * so a link that appears in between is seen by one or the other.
 */
public final class InterfaceWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InterfaceWatch.class.getName());
    private final LinkReconciler reconciler;
    private final Supplier<LinkEvents> subscribe;
    private final Supplier<List<Link>> lister;
    private final BooleanSupplier detached;
    private final Duration retryDelay;
    private final Duration resyncInterval;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private LinkEvents events;
    private Thread thread;
    private volatile boolean running;
    private boolean listedAtStart;

    /**
     * @param subscribe opens the event subscription; its receive must time out now and then (so the
     *                  watch can stop, retry and resync)
     * @param lister    every link that exists now
     */
    public InterfaceWatch(LinkReconciler reconciler, Supplier<LinkEvents> subscribe, Supplier<List<Link>> lister,
                          BooleanSupplier detached, Duration retryDelay, Duration resyncInterval) {
        this.reconciler = reconciler;
        this.subscribe = subscribe;
        this.lister = lister;
        this.detached = detached;
        this.retryDelay = retryDelay;
        this.resyncInterval = resyncInterval;
    }

    /** Attaches to what exists now (before the daemon serves), then follows the links on a thread. */
    public synchronized void start() {
        events = subscribe.get();
        listedAtStart = pass();
        running = true;
        thread = new Thread(this::run, "xdpgate-interface-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long last = System.nanoTime();
        boolean due = !listedAtStart;
        while (running) {
            if (detached.getAsBoolean()) {
                LOG.info("the packet processor was detached: the interface watch stops");
                return;
            }
            try {
                LinkEvents.Received r = events.receive();
                switch (r.status()) {
                    case MESSAGES -> due |= !r.messages().isEmpty();
                    case OVERFLOW -> {
                        overflows.incrementAndGet();
                        LOG.warning("rtnetlink link events were lost (socket buffer full, ENOBUFS): full resync");
                        due = true;
                    }
                    case TIMEOUT -> {
                        long idle = System.nanoTime() - last;
                        due |= idle >= resyncInterval.toNanos()
                                || (reconciler.hasRetries() && idle >= retryDelay.toNanos());
                    }
                }
            } catch (MalformedNetlinkMessage e) {
                malformed.incrementAndGet();
                LOG.warning(() -> "rtnetlink sent a datagram that does not parse (" + e.getMessage() + "): full resync");
                due = true;
            } catch (RuntimeException e) {
                LOG.warning(() -> "rtnetlink receive failed: " + e.getMessage() + "; full resync");
                due = true;
                sleep(retryDelay);
            }
            if (due && running) {
                due = !pass();
                last = System.nanoTime();
            }
        }
    }

    /** One re-list and reconcile; false when the list could not be had (tried again after the retry delay). */
    private boolean pass() {
        List<Link> links;
        try {
            links = lister.get();
        } catch (RuntimeException e) {
            LOG.warning(() -> "cannot list the links: " + e.getMessage() + "; trying again in " + retryDelay);
            sleep(retryDelay);
            return false;
        }
        reconciler.reconcile(links);
        passes.incrementAndGet();
        return true;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public LinkReconciler reconciler() {
        return reconciler;
    }

    /** Full passes over the link list. */
    public long passes() {
        return passes.get();
    }

    /** Times events were lost to a full socket buffer, each followed by a full resync. */
    public long overflows() {
        return overflows.get();
    }

    /** Datagrams refused as malformed, each followed by a full resync. */
    public long malformed() {
        return malformed.get();
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (events != null) {
            events.close();
        }
    }
}
