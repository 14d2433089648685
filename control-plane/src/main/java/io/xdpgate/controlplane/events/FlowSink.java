package io.xdpgate.controlplane.events;

import java.util.logging.Level;

/**
 * Where the flow log's lines go: the logger {@value FlowLog#LOGGER} ({@link LoggerSink}) or a
 * stream of lines, stdout or a rotated file ({@link LineWriter}). One reader thread writes;
 * {@link #close} may come from another once it has stopped.
 */
public interface FlowSink extends AutoCloseable {
    /** Whether a line at {@code level} would go anywhere (so the line need not be made). */
    boolean wants(Level level);

    /** @param level INFO for decisions, FINE for plain passes, WARNING for a suppression summary */
    void write(Level level, String line);

    /** Hands what is buffered on; the reader calls it after every poll. */
    void flush();

    /** Lines that could not be written (a full disk, a closed stdout) since start. */
    long lostLines();

    /** Flushes and releases the output. */
    @Override
    void close();
}
