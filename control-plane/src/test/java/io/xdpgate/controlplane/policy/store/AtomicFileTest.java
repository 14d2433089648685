package io.xdpgate.controlplane.policy.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails part way (the disk fills, the process is killed) must leave the old file whole. */
class AtomicFileTest {
    @TempDir
    Path dir;

    /** Writes half of the content, then fails as a full disk would. */
    private static final AtomicFile.ContentWriter FAILS_HALFWAY = (channel, content) -> {
        ByteBuffer half = content.duplicate();
        half.limit(content.limit() / 2);
        while (half.hasRemaining()) {
            channel.write(half);
        }
        throw new IOException("No space left on device");
    };

    @Test
    void replacesTheContentAndLeavesNothingElse() throws Exception {
        Path file = dir.resolve("state/policy.json");
        new AtomicFile().replace(file, bytes("old"));
        new AtomicFile().replace(file, bytes("new"));
        assertEquals("new", Files.readString(file));
        assertEquals(List.of(file), files(file.getParent()));
    }

    @Test
    void aFailedWriteLeavesTheOldFileWholeAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("policy.json");
        byte[] old = bytes("{\"defaultAction\":\"drop\"}\n".repeat(1000));
        new AtomicFile().replace(file, old);
        byte[] next = bytes("{\"defaultAction\":\"pass\"}\n".repeat(1000));
        var e = assertThrows(IOException.class, () -> new AtomicFile(FAILS_HALFWAY).replace(file, next));
        assertEquals("No space left on device", e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(file), "the old content, every byte");
        assertEquals(List.of(file), files(dir), "the half-written temporary file is gone");
    }

    @Test
    void aFailedFirstWriteLeavesNoFile() throws Exception {
        Path file = dir.resolve("policy.json");
        assertThrows(IOException.class, () -> new AtomicFile(FAILS_HALFWAY).replace(file, bytes("new content")));
        assertEquals(List.of(), files(dir));
    }

    @Test
    void aWriterThatDiesLeavesTheOldFileToo() throws Exception {
        Path file = dir.resolve("policy.json");
        new AtomicFile().replace(file, bytes("old"));
        AtomicFile.ContentWriter dies = (channel, content) -> {
            channel.write(content.duplicate().limit(1));
            throw new OutOfMemoryError("simulated");
        };
        assertThrows(OutOfMemoryError.class, () -> new AtomicFile(dies).replace(file, bytes("new")));
        assertEquals("old", Files.readString(file));
        assertFalse(files(dir).stream().anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
