package io.xdpgate.controlplane.events;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/**
 * The process's stdout (fd 1), where a container runtime collects it. The daemon's own log goes
 * there too, by other writes: a write of at most {@value #PIPE_BUF} bytes to a pipe is atomic,
 * so lines are written in pieces of whole lines that size, and a log message never lands inside
 * a flow line.
 */
final class StdoutOutput implements LineOutput {
    /** POSIX: writes up to this size to a pipe are not interleaved with other writers' (Linux: 4096). */
    static final int PIPE_BUF = 4096;

    private final WritableByteChannel out;

    StdoutOutput() {
        this(Channels.newChannel(new FileOutputStream(FileDescriptor.out)));
    }

    StdoutOutput(WritableByteChannel out) {
        this.out = out;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            int end = pieceEnd(bytes);
            ByteBuffer piece = bytes.duplicate().limit(end);
            while (piece.hasRemaining()) {
                out.write(piece);
            }
            bytes.position(end);
        }
    }

    /** The end of the longest run of whole lines from position within PIPE_BUF (one longer line whole). */
    private static int pieceEnd(ByteBuffer b) {
        int start = b.position();
        int max = Math.min(b.limit(), start + PIPE_BUF);
        for (int i = max - 1; i >= start; i--) {
            if (b.get(i) == '\n') {
                return i + 1;
            }
        }
        for (int i = max; i < b.limit(); i++) {
            if (b.get(i) == '\n') {
                return i + 1;
            }
        }
        return b.limit();
    }

    /** Stdout stays open: the daemon's log still goes there. */
    @Override
    public void close() {
    }
}
