package io.xdpgate.controlplane.gateway;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One daemon thread, {@code xdpgate-gateway-watchdog}, calling {@link GatewayHost#supervise()}
 * every {@link SupervisionSettings#interval()}: a dead runtime is noticed within one interval, a
 * stalled one within the stall timeout plus one interval. It reads the runtimes' heartbeats and
 * thread states only; the gateway threads never wait for it.
 */
public final class GatewayWatchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GatewayWatchdog.class.getName());

    private final GatewayHost host;
    private final long intervalMs;
    private final Thread thread;
    private volatile boolean running;

    public GatewayWatchdog(GatewayHost host) {
        this.host = host;
        this.intervalMs = Math.max(1, host.supervision().interval().toMillis());
        this.thread = new Thread(this::run, "xdpgate-gateway-watchdog");
        this.thread.setDaemon(true);
    }

    public void start() {
        running = true;
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
            try {
                host.supervise();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "gateway supervision failed; trying again", e);
            }
        }
    }

    /** Stops the thread and waits for it (before the host it watches is closed). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
