package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BpfExceptionTest {
    @Test
    void messageNamesOperationErrnoAndLibbpfLines() {
        BpfException e = new BpfException("load BPF object x.o", Errno.EACCES,
                List.of("libbpf: prog 'p': BPF program load failed", "invalid access to packet"));
        assertEquals("load BPF object x.o failed: EACCES (Permission denied)\nlibbpf:\n"
                + "  libbpf: prog 'p': BPF program load failed\n  invalid access to packet", e.getMessage());
        assertEquals("EACCES", e.errnoName());
        assertEquals("Permission denied", e.errnoText());
        assertEquals(2, e.libbpfLog().size());
    }

    @Test
    void kernelInternalErrnoHasAName() {
        BpfException e = new BpfException("batch lookup", Errno.ENOTSUPP);
        assertTrue(e.getMessage().contains("ENOTSUPP"), e.getMessage());
    }

    @Test
    void unknownErrnoStillFormats() {
        assertTrue(new BpfException("x", 4000).getMessage().startsWith("x failed: errno 4000"));
    }
}
