package io.xdpgate.datapath.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc/self/fdinfo says about a descriptor. */
final class FdInfo {
    private FdInfo() {
    }

    /** A BPF map's fdinfo carries a map_type line; a program's does not. */
    static boolean isMap(int fd) {
        try {
            return Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).stream()
                    .anyMatch(line -> line.startsWith("map_type:"));
        } catch (IOException e) {
            return true; // without procfs, trust the caller
        }
    }
}
