package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NetDeviceTest {
    @Test
    void loopbackIsIndexOne() {
        assertEquals(1, NetDevice.ifindex("lo"));
    }

    @Test
    void aMissingInterfaceFailsWithEnodev() {
        BpfException e = assertThrows(BpfException.class, () -> NetDevice.ifindex("xgt-none"));
        assertEquals(Errno.ENODEV, e.errno());
    }
}
