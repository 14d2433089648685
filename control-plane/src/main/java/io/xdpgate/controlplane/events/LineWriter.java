package io.xdpgate.controlplane.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lines in UTF-8, one per {@link #write}, gathered in a buffer and written when it is full, on
 * {@link #flush} (the reader's every poll, so at most about 100 ms late) and on close. A write
 * that fails (disk full) loses the buffered lines, which are counted; the first failure of a run
 * is logged, the return to writing too, and nothing is thrown: the event reader goes on.
 */
public final class LineWriter implements FlowSink {
    private static final Logger LOG = Logger.getLogger(LineWriter.class.getName());
    static final int BUFFER = 64 * 1024;

    private final String name;
    private final LineOutput out;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private final AtomicLong lost = new AtomicLong();
    private int linesBuffered;
    private long lostInRun;
    private boolean failing;
    private boolean closed;

    /** @param name what the output is, for the log: "stdout", "the flow log file /var/log/..." */
    LineWriter(String name, LineOutput out) {
        this.name = name;
        this.out = out;
    }

    /** Lines to the process's stdout. */
    public static LineWriter stdout() {
        return new LineWriter("stdout", new StdoutOutput());
    }

    /**
     * Lines to {@code file}, rotated at {@code maxBytes} with {@code maxFiles} files in all.
     *
     * @throws IOException when the file cannot be opened for writing (its directory is made)
     */
    public static LineWriter file(java.nio.file.Path file, long maxBytes, int maxFiles) throws IOException {
        return new LineWriter(file.toString(), RotatingFile.open(file, maxBytes, maxFiles));
    }

    @Override
    public boolean wants(Level level) {
        return true;
    }

    @Override
    public synchronized void write(Level level, String line) {
        if (closed) {
            lost.incrementAndGet();
            return;
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (out.full(buffer.position(), bytes.length)) {
            flush();
            rotate();
        }
        if (bytes.length > buffer.remaining()) {
            flush();
        }
        if (bytes.length > buffer.capacity()) {
            writeOut(ByteBuffer.wrap(bytes), 1);
            return;
        }
        buffer.put(bytes);
        linesBuffered++;
    }

    @Override
    public synchronized void flush() {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        writeOut(buffer, linesBuffered);
        buffer.clear();
        linesBuffered = 0;
    }

    private void writeOut(ByteBuffer bytes, int lines) {
        try {
            out.write(bytes);
            if (failing) {
                failing = false;
                LOG.info("writing flow lines to " + name + " again; " + lostInRun + " were lost");
            }
        } catch (IOException e) {
            lost.addAndGet(lines);
            lostInRun = failing ? lostInRun + lines : lines;
            if (!failing) {
                failing = true;
                LOG.warning("cannot write flow lines to " + name + " (" + e + "); they are counted as lost "
                        + "(metric xdpgate_events_log_lost_total) until writing works again");
            }
        }
    }

    private void rotate() {
        try {
            out.rotate();
        } catch (IOException e) {
            LOG.warning("cannot rotate " + name + " (" + e + "); writing on to it");
        }
    }

    @Override
    public long lostLines() {
        return lost.get();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            LOG.warning("closing " + name + ": " + e);
        }
    }
}
