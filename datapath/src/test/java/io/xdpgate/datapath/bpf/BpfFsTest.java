package io.xdpgate.datapath.bpf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@KernelTest
class BpfFsTest {
    @Test
    void theDefaultMountIsRecognisedAndLeftAlone() {
        BpfFs.ensureMounted(BpfFs.DEFAULT_MOUNT);
        assertTrue(BpfFs.isBpfFs(BpfFs.DEFAULT_MOUNT));
        assertFalse(BpfFs.ensureMounted(BpfFs.DEFAULT_MOUNT), "already mounted");
    }

    @Test
    void mountsWhereThereIsNoneYet() throws IOException {
        Path dir = Files.createTempDirectory("xgt-bpffs-");
        try {
            assertFalse(BpfFs.isBpfFs(dir));
            assertTrue(BpfFs.ensureMounted(dir));
            try {
                assertTrue(BpfFs.isBpfFs(dir));
                assertFalse(BpfFs.ensureMounted(dir), "second call finds it mounted");
            } finally {
                BpfFs.unmount(dir);
            }
            assertFalse(BpfFs.isBpfFs(dir));
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aMissingDirectoryIsNotBpfFs() {
        assertFalse(BpfFs.isBpfFs(Path.of("/nonexistent/bpffs")));
    }
}
