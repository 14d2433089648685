package io.xdpgate.gateways.spi;

/**
 * What a session may ask of the packet processor for its connection: {@link Expectation}s,
 * granted by the gateway's host (the daemon writes them into the kernel) and withdrawn when the
 * connection that asked ends. Called on the runtime's thread.
 */
public interface Expectations {
    /** A host that grants none (a gateway outside the daemon, tests). */
    Expectations NONE = (wanted, maxOpen) -> "no expectations are granted here";

    /**
     * Asks for {@code wanted}; null when granted, else why not (this connection already has
     * {@code maxOpen} unused and unexpired, or the packet processor's table is full).
     */
    String expect(Expectation wanted, int maxOpen);
}
