package io.xdpgate.datapath.map;

import io.xdpgate.abi.Codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.Libbpf;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestObjects;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class PerCpuArrayTest {
    private BpfObject obj;
    private PerCpuArray<Long> counts;

    @BeforeEach
    void load() {
        obj = BpfObject.open(TestObjects.bindingTest()).load();
        counts = new PerCpuArray<>(obj.map("percpu_count"), Codecs.U64);
    }

    @AfterEach
    void close() {
        obj.close();
    }

    @Test
    void setGetAndSumAcrossCpus() {
        int cpus = Libbpf.possibleCpus();
        List<Long> values = new ArrayList<>();
        for (int cpu = 0; cpu < cpus; cpu++) {
            values.add(cpu + 1L);
        }
        counts.set(1, values);
        assertEquals(values, counts.get(1));
        assertEquals((long) cpus * (cpus + 1) / 2, counts.sumLong(1));
        assertArrayEquals(new long[] {(long) cpus * (cpus + 1) / 2}, counts.sumWords(1));
        counts.setAll(1, 0L);
        assertEquals(Collections.nCopies(cpus, 0L), counts.get(1));
    }

    @Test
    void sumsWhatTheProgramCounted() {
        obj.program("binding_xdp").testRun(TestRunRequest.of(new byte[64]).withRepeat(3));
        obj.program("binding_xdp").testRun(TestRunRequest.of(new byte[64]));
        assertEquals(4, counts.sumLong(0));
        assertEquals(2, counts.length());
    }

    @Test
    void indexesBeyondTheArrayAreRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> counts.get(2));
    }

    @Test
    void onlyPerCpuArraysQualify() {
        assertThrows(IllegalArgumentException.class, () -> new PerCpuArray<>(obj.map("packet_count"), Codecs.U64));
        assertThrows(IllegalArgumentException.class, () -> new PerCpuArray<>(obj.map("percpu_count"), Codecs.U32));
    }
}
