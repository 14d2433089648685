package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import static io.xdpgate.datapath.bpf.BindingFixture.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestObjects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class BpfProgramTest {
    private BpfObject obj;
    private BpfProgram xdp;

    @BeforeEach
    void load() {
        obj = BpfObject.open(TestObjects.bindingTest()).load();
        xdp = obj.program("binding_xdp");
    }

    @AfterEach
    void close() {
        obj.close();
    }

    @Test
    void testRunPassesOrdinaryFramesUnchanged() {
        byte[] frame = frame(0x02);
        TestRunResult result = xdp.testRun(TestRunRequest.of(frame));
        assertEquals(XdpAction.PASS, result.xdpAction());
        assertEquals(2, result.retval());
        assertArrayEquals(frame, result.dataOut());
        assertArrayEquals(frame, result.packet());
        assertEquals(0, result.metadata().length);
        assertEquals(frame.length, result.context().dataEnd());
    }

    @Test
    void testRunDropsFramesStartingWithFf() {
        TestRunResult result = xdp.testRun(TestRunRequest.of(frame(0xff)));
        assertEquals(XdpAction.DROP, result.xdpAction());
        assertEquals(1, BindingFixture.packetCount(obj), "the program ran once");
    }

    @Test
    void repeatRunsTheProgramThatManyTimes() {
        TestRunResult result = xdp.testRun(TestRunRequest.of(frame(0x02)).withRepeat(25));
        assertEquals(XdpAction.PASS, result.xdpAction());
        assertEquals(25, result.repeat());
        assertTrue(result.durationNs() >= 0);
        assertEquals(25, BindingFixture.packetCount(obj));
    }

    @Test
    void metadataGoesInFrontOfTheFrameAndComesBackSeparated() {
        byte[] meta = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] frame = frame(0x02);
        TestRunResult result = xdp.testRun(TestRunRequest.of(frame).withMetadata(meta));
        assertEquals(XdpAction.PASS, result.xdpAction());
        assertEquals(meta.length, result.context().metadataLength());
        assertArrayEquals(meta, result.metadata());
        assertArrayEquals(frame, result.packet());
        assertEquals(meta.length + frame.length, result.dataOut().length);
    }

    @Test
    void invalidMetadataLengthIsRefusedByTheKernel() {
        BpfException e = assertThrows(BpfException.class,
                () -> xdp.testRun(TestRunRequest.of(frame(0x02)).withMetadata(new byte[3])));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void ingressIfindexReachesTheProgramContext() {
        TestRunResult result = xdp.testRun(TestRunRequest.of(frame(0x02)).withIngressIfindex(NetDevice.ifindex("lo")));
        assertEquals(NetDevice.ifindex("lo"), result.context().ingressIfindex());
    }

    @Test
    void nonXdpProgramsRunWithoutAnXdpContext() {
        BpfProgram tc = obj.program("binding_tc");
        TestRunResult result = tc.testRun(TestRunRequest.of(frame(0x02)));
        assertEquals(0, result.retval(), "TC_ACT_OK");
        assertNull(result.context());
        assertNull(result.xdpAction());
    }
}
