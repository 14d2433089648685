package io.xdpgate.datapath.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** What /proc/self/fdinfo says about a descriptor. */
final class FdInfo {
    private FdInfo() {
    }

    /** A BPF map's fdinfo carries a map_type line; a program's does not. */
    static boolean isMap(int fd) {
        try {
            return lines(fd).stream().anyMatch(line -> line.startsWith("map_type:"));
        } catch (IOException e) {
            return true; // without procfs, trust the caller
        }
    }

    /** The number on the descriptor's {@code key:} line; empty without one (or without procfs). */
    static OptionalLong number(int fd, String key) {
        try {
            String prefix = key + ":";
            return lines(fd).stream().filter(line -> line.startsWith(prefix))
                    .mapToLong(line -> Long.parseLong(line.substring(prefix.length()).trim())).findFirst();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static List<String> lines(int fd) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd));
    }
}
