package io.xdpgate.datapath.testing;

import io.xdpgate.datapath.bpf.BpfFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A directory on bpffs for one test's pins, {@code /sys/fs/bpf/xdpgate-test-<pid>-<n>}, removed on
 * close. Unique per instance: test classes of one JVM must not share (and delete) each other's pins.
 */
public final class PinDir implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private final Path dir;

    public PinDir() {
        BpfFs.ensureMounted(BpfFs.DEFAULT_MOUNT);
        dir = BpfFs.DEFAULT_MOUNT.resolve("xdpgate-test-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + dir, e);
        }
    }
}
