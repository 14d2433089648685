package io.xdpgate.controlplane.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file kept under a size: before the bytes that would take it past {@code maxBytes}, it is
 * renamed {@code <name>.1}, {@code <name>.1} to {@code <name>.2} and so on, the oldest of
 * {@code maxFiles} in all removed, and a new file opened. Its writer hands it whole lines, so a
 * rotation never splits one. Bytes on disk: at most {@code maxFiles * maxBytes} (a single line
 * longer than {@code maxBytes} fills a file of its own).
 */
final class RotatingFile implements LineOutput {
    private static final ByteBuffer NEWLINE = ByteBuffer.wrap(new byte[] {'\n'}).asReadOnlyBuffer();

    private final Path path;
    private final long maxBytes;
    private final int maxFiles;
    private FileChannel channel;
    private long size;
    private boolean torn;

    private RotatingFile(Path path, long maxBytes, int maxFiles) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        open();
    }

    /** Opens (appends to) {@code path}, creating its directory; fails when it cannot be written. */
    static RotatingFile open(Path path, long maxBytes, int maxFiles) throws IOException {
        if (maxBytes < 1 || maxFiles < 1) {
            throw new IllegalArgumentException("a rotated file needs a positive size and at least one file");
        }
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        return new RotatingFile(path, maxBytes, maxFiles);
    }

    private void open() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = channel.size();
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        if (torn) {
            // the last write failed halfway (disk full): end that line so the next ones parse
            writeAll(NEWLINE.duplicate());
            torn = false;
        }
        writeAll(bytes);
    }

    private void writeAll(ByteBuffer bytes) throws IOException {
        long before = size;
        try {
            while (bytes.hasRemaining()) {
                size += channel.write(bytes);
            }
        } catch (IOException e) {
            torn |= size > before;
            throw e;
        }
    }

    @Override
    public boolean full(long buffered, int line) {
        return size + buffered > 0 && size + buffered + line > maxBytes;
    }

    /**
     * Shifts the files and opens a new one. When a rename fails the current file is written on,
     * and rotation is tried again once another {@code maxBytes} were written.
     */
    @Override
    public void rotate() throws IOException {
        channel.close();
        try {
            if (maxFiles == 1) {
                Files.deleteIfExists(path);
            } else {
                for (int i = maxFiles - 1; i >= 2; i--) {
                    Path older = numbered(i - 1);
                    if (Files.exists(older)) {
                        Files.move(older, numbered(i), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            open();
            size = 0;
            throw e;
        }
        open();
        torn = false;
    }

    Path numbered(int i) {
        return path.resolveSibling(path.getFileName() + "." + i);
    }

    /** Bytes in the current file, as far as this writer knows. */
    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
