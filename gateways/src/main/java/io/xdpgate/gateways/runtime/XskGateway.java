package io.xdpgate.gateways.runtime;

import io.xdpgate.gateways.afxdp.Umem;
import io.xdpgate.gateways.afxdp.XskSocket;
import io.xdpgate.gateways.spi.ApplicationGateway;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A gateway runtime on an AF_XDP socket, driven by its own thread: receive a batch, let the
 * runtime judge it, flush what it sends, sleep in poll when idle.
 */
public final class XskGateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("xdpgate.gateway");
    /** Frames taken per ring visit: amortises the ring index reads and the TX kick. */
    private static final int BATCH = 64;
    /** Poll timeout when idle; also bounds how late tick() and close() are noticed. */
    private static final int IDLE_POLL_MS = 100;
    private static final long TICK_NS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final XskSocket socket;
    private final GatewayRuntime runtime;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private XskGateway(String name, XskSocket socket, ApplicationGateway gateway, OriginLookup lookup,
                       GatewayRuntime.Limits limits) {
        this.name = name;
        this.socket = socket;
        this.runtime = new GatewayRuntime(name, gateway, new UmemFrames(socket), lookup, limits, System::nanoTime);
        this.thread = new Thread(this::run, "xdpgate-gw-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Opens the socket on queue 0 of {@code ifname} and starts its thread. Frames arrive once
     * {@link #socketFd()} is registered in the packet processor's gw_xsks map.
     */
    public static XskGateway start(String name, String ifname, int ifindex, ApplicationGateway gateway,
                                   OriginLookup lookup, XskSocket.Config config, GatewayRuntime.Limits limits) {
        XskSocket socket = XskSocket.open(ifname, ifindex, 0, config);
        XskGateway g = new XskGateway(name, socket, gateway, lookup, limits);
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

    public Throwable failure() {
        return failure;
    }

    private void run() {
        long nextTick = System.nanoTime() + TICK_NS;
        try {
            while (running) {
                int n = socket.receive(BATCH, runtime::receive);
                socket.flush();
                if (n == 0) {
                    socket.await(IDLE_POLL_MS);
                }
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    runtime.tick();
                    socket.flush();
                    nextTick = now + TICK_NS;
                }
            }
        } catch (Throwable t) {
            failure = t;
            running = false;
            LOG.log(Level.SEVERE, "gateway=" + name + " stopped: the runtime failed; its flows now follow the fail mode", t);
        }
    }

    /**
     * Stops the thread, ends every connection and closes the socket: the packet processor then
     * applies the gateway's fail mode.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtime.close();
        socket.close();
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
