package io.xdpgate.datapath.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestObjects;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class RingBufferTest {
    /** struct binding_record of binding_test.bpf.c */
    private record Rec(int len, int firstByte, int verdict, int seq) {
        static Rec of(ByteBuffer b) {
            return new Rec(b.getInt(0), b.get(4) & 0xff, b.get(5) & 0xff, b.getShort(6) & 0xffff);
        }
    }

    private BpfObject obj;

    @BeforeEach
    void load() {
        obj = BpfObject.open(TestObjects.bindingTest()).load();
    }

    @AfterEach
    void close() {
        obj.close();
    }

    @Test
    void deliversTheRecordEachPacketWrote() {
        List<Rec> records = new ArrayList<>();
        try (RingBuffer ring = RingBuffer.open(obj.map("records"), b -> records.add(Rec.of(b)))) {
            assertEquals(0, ring.poll(0), "nothing yet");
            BpfProgram xdp = obj.program("binding_xdp");
            xdp.testRun(TestRunRequest.of(BindingFixture.frame(0x02)));
            xdp.testRun(TestRunRequest.of(BindingFixture.frame(0xff)));
            assertEquals(2, ring.poll(1000));
        }
        assertEquals(List.of(new Rec(64, 0x02, 2, 1), new Rec(64, 0xff, 1, 2)), records);
    }

    @Test
    void aConsumerExceptionStopsThePollAndIsRethrown() {
        IllegalStateException boom = new IllegalStateException("consumer failed");
        try (RingBuffer ring = RingBuffer.open(obj.map("records"), b -> {
            throw boom;
        })) {
            obj.program("binding_xdp").testRun(TestRunRequest.of(BindingFixture.frame(0x02)));
            assertSame(boom, assertThrows(IllegalStateException.class, () -> ring.poll(1000)));
            assertEquals(0, ring.consume(), "the failed record was consumed");
            assertTrue(ring.epollFd() > 0);
        }
    }

    @Test
    void onlyRingbufMapsMakeARingBuffer() {
        assertThrows(IllegalArgumentException.class, () -> RingBuffer.open(obj.map("hash_map"), b -> { }));
    }
}
