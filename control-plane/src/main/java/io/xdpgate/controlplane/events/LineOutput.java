package io.xdpgate.controlplane.events;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a {@link LineWriter}'s bytes go: a {@link RotatingFile} or {@link StdoutOutput}. */
interface LineOutput extends Closeable {
    /** Writes all of {@code bytes} (whole lines), or throws. */
    void write(ByteBuffer bytes) throws IOException;

    /**
     * Whether {@code line} more bytes after {@code buffered} ones not yet written would take the
     * output past its size limit, so that it is rotated first. Never for an output without one.
     */
    default boolean full(long buffered, int line) {
        return false;
    }

    /** Starts a new file (see {@link RotatingFile}); nothing for an output without a limit. */
    default void rotate() throws IOException {
    }
}
