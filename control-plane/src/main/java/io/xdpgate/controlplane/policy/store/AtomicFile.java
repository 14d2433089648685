package io.xdpgate.controlplane.policy.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that after a crash at any moment it holds the old content or the new,
 * never part of either: the new content goes to a temporary file in the same directory (same
 * file system, so the rename is atomic), is forced to disk, renamed over the target, and the
 * directory is forced so the rename itself survives a power cut.
 *
 * <p>A crash can leave a temporary file ({@code .<name>.<random>.tmp}) behind; nothing reads it.
 */
final class AtomicFile {
    /** Puts the content into the open temporary file; a test swaps in one that fails halfway. */
    interface ContentWriter {
        void write(FileChannel channel, ByteBuffer content) throws IOException;
    }

    static final ContentWriter WRITE_ALL = (channel, content) -> {
        while (content.hasRemaining()) {
            channel.write(content);
        }
    };

    private final ContentWriter writer;

    AtomicFile() {
        this(WRITE_ALL);
    }

    AtomicFile(ContentWriter writer) {
        this.writer = writer;
    }

    void replace(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean renamed = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writer.write(channel, ByteBuffer.wrap(content));
                channel.force(true);
            }
            // rename(2): atomic, and it replaces an existing target (ATOMIC_MOVE ignores other options).
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
        } finally {
            if (!renamed) {
                Files.deleteIfExists(tmp);
            }
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
