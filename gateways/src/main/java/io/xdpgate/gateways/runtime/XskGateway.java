package io.xdpgate.gateways.runtime;

import io.xdpgate.gateways.afxdp.Umem;
import io.xdpgate.gateways.afxdp.XskSocket;
import io.xdpgate.gateways.spi.ApplicationGateway;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A gateway runtime on an AF_XDP socket, driven by its own thread: receive a batch, let the
 * runtime judge it, flush what it sends, sleep in poll when idle.
 *
 * <p><b>Liveness.</b> The thread bumps a {@linkplain #heartbeat() heartbeat} once per loop
 * iteration (an opaque write: no lock, no fence on the hot path). An idle loop still iterates
 * every {@value #IDLE_POLL_MS} ms (the poll timeout), so a supervisor that sees the heartbeat
 * stand still for much longer knows the thread is stuck (in a session, say), and one that sees
 * {@link #threadAlive()} false or a {@link #failure()} knows it died.
 *
 * <p><b>Ending.</b> The socket's rings and UMEM are mapped memory the thread reads and writes
 * without checks; unmapping them under a live thread would crash the process. So the socket is
 * only ever closed once the thread has ended: by {@link #stop(long)} when the thread ends within
 * the wait, else by the thread itself when it finally leaves its loop. A restart is a new
 * instance on the same interface and queue (new socket, new thread); the socket binds once the
 * old one is released.
 */
public final class XskGateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");
    /** Frames taken per ring visit: amortises the ring index reads and the TX kick. */
    private static final int BATCH = 64;
    /** Poll timeout when idle; also bounds how late tick() and close() are noticed. */
    private static final int IDLE_POLL_MS = 100;
    private static final long TICK_NS = TimeUnit.SECONDS.toNanos(1);
    /** How long {@link #close()} waits for the thread before leaving the clean-up to it. */
    private static final long CLOSE_WAIT_MS = TimeUnit.SECONDS.toMillis(5);
    private static final VarHandle HEARTBEAT;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    static {
        try {
            HEARTBEAT = MethodHandles.lookup().findVarHandle(XskGateway.class, "heartbeat", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final XskSocket socket;
    private final GatewayRuntime runtime;
    private final Thread thread;
    /** Told the runtime's open flows: when they changed (once per loop iteration at most) and every second. */
    private final IntConsumer load;
    private volatile boolean running = true;
    private volatile Throwable failure;
    /** Loop iterations so far; written by the thread only (opaque), read by anyone. */
    @SuppressWarnings("unused") // through HEARTBEAT
    private long heartbeat;
    /** Guarded by this: the thread has left its loop; whoever comes last releases the socket. */
    private boolean exited;
    private boolean releaseOnExit;
    private boolean released;

    private XskGateway(String name, XskSocket socket, ApplicationGateway gateway, OriginLookup lookup,
                       ExpectationBroker expectations, GatewayRuntime.Limits limits, IntConsumer load) {
        this.name = name;
        this.load = load;
        this.socket = socket;
        this.runtime = new GatewayRuntime(name, gateway, new UmemFrames(socket), lookup, expectations, limits,
                System::nanoTime);
        this.thread = new Thread(this::run, "xdpgate-gw-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Opens the socket on queue 0 of {@code ifname} and starts its thread. Frames arrive once
     * {@link #socketFd()} is registered in the packet processor's gw_xsks map.
     *
     * @param expectations grants the sessions' expectations (the packet processor's expects map)
     * @param load told the number of open flows at the start, whenever it changed (at most once
     *             per loop iteration) and every second, from the thread, and never once it was told
     *             to stop (the packet processor gives new flows to the least loaded instance); a
     *             failure there is logged, never fatal
     */
    public static XskGateway start(String name, String ifname, int ifindex, ApplicationGateway gateway,
                                   OriginLookup lookup, ExpectationBroker expectations, XskSocket.Config config,
                                   GatewayRuntime.Limits limits, IntConsumer load) {
        XskSocket socket = XskSocket.open(ifname, ifindex, 0, config);
        XskGateway g = new XskGateway(name, socket, gateway, lookup, expectations, limits, load);
        g.thread.start();
        return g;
    }

    public int socketFd() {
        return socket.fd();
    }

    public GatewayRuntime runtime() {
        return runtime;
    }

    /** Whether the thread is still serving; false after a failure (see the log) or close. */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    /** Whether the thread is still alive (serving, stuck, or on its way out). */
    public boolean threadAlive() {
        return thread.isAlive();
    }

    /** What ended the thread, if it failed; null while it runs and after an orderly stop. */
    public Throwable failure() {
        return failure;
    }

    /**
     * CPU time its thread has used so far (user and system), in nanoseconds; -1 once the thread
     * ended or where the JVM cannot tell. What one instance costs, and so frames per core.
     */
    public long cpuNanos() {
        return CPU.isThreadCpuTimeSupported() ? CPU.getThreadCpuTime(thread.getId()) : -1;
    }

    /** The user-mode part of {@link #cpuNanos()}; the rest is the kernel's, in the socket's calls. */
    public long userNanos() {
        return CPU.isThreadCpuTimeSupported() ? CPU.getThreadUserTime(thread.getId()) : -1;
    }

    /** Loop iterations so far: moves at least every {@value #IDLE_POLL_MS} ms while the thread is healthy. */
    public long heartbeat() {
        return (long) HEARTBEAT.getOpaque(this);
    }

    private void run() {
        long nextTick = System.nanoTime() + TICK_NS;
        long beats = 0;
        int reported = -1;
        try {
            while (running) {
                HEARTBEAT.setOpaque(this, ++beats);
                int n = socket.receive(BATCH, runtime::receive);
                socket.flush();
                reported = reportLoad(reported, false);
                if (n == 0) {
                    socket.await(IDLE_POLL_MS);
                }
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    runtime.tick();
                    socket.flush();
                    nextTick = now + TICK_NS;
                    // again, changed or not: the slot is shared with the runtime this one
                    // replaced, whose last figure may have come after this one's
                    reported = reportLoad(reported, true);
                }
            }
        } catch (Throwable t) {
            boolean stopping = !running;
            running = false;
            if (stopping) {
                // told to stop while stuck, and the socket may have lost its interface meanwhile
                LOG.log(Level.FINE, "gateway=" + name + " ended while stopping", t);
            } else {
                failure = t;
                LOG.log(Level.SEVERE, "gateway=" + name + " stopped: the runtime failed; its flows now follow the fail mode", t);
            }
        } finally {
            boolean release;
            synchronized (this) {
                exited = true;
                release = releaseOnExit;
            }
            if (release) {
                release();
            }
        }
    }

    /**
     * Tells {@link #load} the open flows when they differ from {@code reported} (or {@code always}),
     * unless the thread was told to stop; returns what the kernel now has (-1: nothing yet).
     */
    private int reportLoad(int reported, boolean always) {
        int flows = runtime.flowCount();
        if (!running || (flows == reported && !always)) {
            return reported;
        }
        try {
            load.accept(flows);
        } catch (RuntimeException e) {
            // the kernel then balances by a stale figure; the flows themselves are unaffected
            LOG.log(reported < 0 ? Level.WARNING : Level.FINE, "gateway=" + name + ": cannot report its load", e);
        }
        return flows;
    }

    /**
     * Asks the thread to leave its loop and interrupts it (a session blocked in an interruptible
     * wait returns); does not wait and does not close the socket.
     */
    public void requestStop() {
        running = false;
        thread.interrupt();
    }

    /**
     * Stops the thread, waiting up to {@code waitMs} for it; then ends every connection and closes
     * the socket (the packet processor applies the gateway's fail mode). A thread still alive
     * after the wait (stuck) closes them itself when it leaves its loop; until then the socket
     * stays open and bound.
     *
     * @return true when the socket is closed now, false when the clean-up was left to the thread
     */
    public boolean stop(long waitMs) {
        running = false;
        if (thread != Thread.currentThread()) {
            try {
                thread.join(Math.max(1, waitMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (!exited) {
                releaseOnExit = true;
                LOG.warning(() -> "gateway=" + name + ": the runtime thread has not ended; it closes its socket when it does");
                return false;
            }
        }
        release();
        return true;
    }

    /** {@link #stop(long)} with a wait of 5 s. */
    @Override
    public void close() {
        stop(CLOSE_WAIT_MS);
    }

    /** Once only, from a thread that knows the loop has ended. */
    private void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        try {
            runtime.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway=" + name + ": ending its connections failed", e);
        } finally {
            socket.close();
        }
    }

    /** The runtime's frames: chunks of the socket's UMEM, sent on its TX ring. */
    private static final class UmemFrames implements FrameIo {
        private final XskSocket socket;
        private final Umem umem;

        UmemFrames(XskSocket socket) {
            this.socket = socket;
            this.umem = socket.umem();
        }

        @Override
        public ByteBuffer memory() {
            return umem.bytes();
        }

        @Override
        public boolean send(long handle, int len) {
            return socket.transmit(handle, len);
        }

        @Override
        public void free(long handle) {
            umem.free(handle);
        }

        @Override
        public long allocate() {
            long chunk = umem.allocate();
            // leave room in front, as the kernel does for received frames
            return chunk < 0 ? -1 : chunk + 256;
        }
    }
}
