package io.xdpgate.controlplane.gateway;

import io.xdpgate.gateways.spi.ApplicationGateway;
import java.util.Map;

/**
 * A running gateway runtime as the host supervises it (an {@link io.xdpgate.gateways.runtime.XskGateway}
 * in the daemon; a fake in tests). Every method may be called from any thread.
 */
interface HostedRuntime {
    /** The AF_XDP socket, for gw_xsks. */
    int socketFd();

    /** Loop iterations so far; stands still while the thread is stuck or gone. */
    long heartbeat();

    boolean threadAlive();

    /** What killed the thread; null while it runs. */
    Throwable failure();

    /** New connections go to {@code app}; open ones keep their session. */
    void reconfigure(ApplicationGateway app);

    /** Tells the thread to leave its loop (and interrupts it); does not wait. */
    void requestStop();

    /**
     * Stops the thread, waiting up to {@code waitMs}, then closes the socket; false when the
     * thread has not ended (it closes the socket itself when it does).
     */
    boolean stop(long waitMs);

    /** Connections it tracks now. */
    int flowCount();

    /** Bytes it holds now: payload held for approval and released bytes not yet acknowledged. */
    long heldBytes();

    /** Its counters by name (frames, flows, drops by reason). */
    Map<String, Long> counters();
}
