package io.xdpgate.datapath.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@KernelTest
class LibbpfTest {
    @Test
    void availableWhereKernelTestsRun() {
        assertTrue(Libbpf.isAvailable());
        assertEquals(Optional.empty(), Libbpf.unavailabilityCause());
    }

    @Test
    void possibleCpusMatchTheKernel() throws Exception {
        // /sys/devices/system/cpu/possible is a range list such as 0-3 or 0-1,4-7
        String possible = Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim();
        int count = 0;
        for (String range : possible.split(",")) {
            String[] ends = range.split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        assertEquals(count, Libbpf.possibleCpus());
    }
}
