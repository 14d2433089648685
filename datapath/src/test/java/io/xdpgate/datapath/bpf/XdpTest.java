package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.Commands;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestNetwork;
import io.xdpgate.datapath.testing.TestObjects;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XDP attach, query and detach on links this test creates: a veth pair (native XDP) whose far end
 * sits in a namespace of its own, and a bridge (generic XDP only).
 */
@KernelTest
class XdpTest {
    private static TestNetwork net;
    private static String near;
    private static String far;
    private static String ns;
    private static String bridge;

    private BpfObject obj;
    private BpfProgram xdp;

    @BeforeAll
    static void createLinks() {
        net = new TestNetwork();
        try {
            String[] veth = net.veth("a", "b");
            near = veth[0];
            far = veth[1];
            ns = net.netns("n");
            Commands.run("ip", "link", "set", far, "netns", ns);
            Commands.run("ip", "-n", ns, "addr", "add", "198.18.0.2/24", "dev", far);
            Commands.run("ip", "-n", ns, "link", "set", far, "up");
            bridge = net.bridge("r");
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    @AfterAll
    static void deleteLinks() {
        if (net != null) {
            net.close();
        }
    }

    @BeforeEach
    void load() {
        obj = BpfObject.open(TestObjects.bindingTest()).load();
        xdp = obj.program("binding_xdp");
    }

    @AfterEach
    void detachAndClose() {
        try {
            Xdp.detach(NetDevice.ifindex(near), XdpMode.AUTO);
            Xdp.detach(NetDevice.ifindex(bridge), XdpMode.AUTO);
        } finally {
            obj.close();
        }
    }

    @Test
    void nativeAttachShowsInQueryAndIpLinkAndDetachClearsIt() {
        int ifindex = NetDevice.ifindex(near);
        XdpAttachment attached = xdp.attachXdp(ifindex, XdpMode.NATIVE);
        assertEquals(new XdpAttachment(ifindex, xdp.id(), XdpMode.NATIVE), attached);
        assertEquals(List.of(attached), BpfProgram.queryXdp(ifindex));
        assertTrue(Commands.run("ip", "link", "show", "dev", near).contains("prog/xdp id " + xdp.id()));

        BpfProgram.detachXdp(ifindex, XdpMode.NATIVE);
        assertEquals(List.of(), BpfProgram.queryXdp(ifindex));
        assertFalse(Commands.run("ip", "link", "show", "dev", near).contains("prog/xdp"));
    }

    @Test
    void theAttachedProgramSeesTrafficArrivingOnTheLink() throws InterruptedException {
        xdp.attachXdp(NetDevice.ifindex(near), XdpMode.NATIVE);
        // A datagram to 198.18.0.1 makes the namespace ARP for it out of its end; nobody answers,
        // the request is what the program counts.
        Commands.run("ip", "netns", "exec", ns, "bash", "-c", "echo probe > /dev/udp/198.18.0.1/9");
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (BindingFixture.packetCount(obj) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(BindingFixture.packetCount(obj) > 0, "XDP on " + near + " saw the ARP request");
    }

    @Test
    void genericAttachIsReportedAsGeneric() {
        int ifindex = NetDevice.ifindex(near);
        assertEquals(XdpMode.GENERIC, xdp.attachXdp(ifindex, XdpMode.GENERIC).mode());
        assertEquals(List.of(new XdpAttachment(ifindex, xdp.id(), XdpMode.GENERIC)), Xdp.query(ifindex));
        assertTrue(Commands.run("ip", "link", "show", "dev", near).contains("prog/xdp id " + xdp.id()));
        assertTrue(Commands.run("ip", "link", "show", "dev", near).contains("xdpgeneric"));
        Xdp.detach(ifindex, XdpMode.GENERIC);
        assertEquals(List.of(), Xdp.query(ifindex));
    }

    @Test
    void autoUsesNativeWhereTheDriverHasIt() {
        assertEquals(XdpMode.NATIVE, xdp.attachXdp(NetDevice.ifindex(near), XdpMode.AUTO).mode());
    }

    @Test
    void autoFallsBackToGenericWhereTheDriverHasNoXdp() {
        int ifindex = NetDevice.ifindex(bridge);
        assertThrows(BpfException.class, () -> xdp.attachXdp(ifindex, XdpMode.NATIVE));
        XdpAttachment attached = xdp.attachXdp(ifindex, XdpMode.AUTO);
        assertEquals(XdpMode.GENERIC, attached.mode());
        assertEquals(List.of(attached), Xdp.query(ifindex));
        Xdp.detach(ifindex, XdpMode.AUTO);
        assertEquals(List.of(), Xdp.query(ifindex));
    }

    @Test
    void attachingToAMissingInterfaceFails() {
        BpfException e = assertThrows(BpfException.class, () -> xdp.attachXdp(999_999, XdpMode.GENERIC));
        assertEquals(Errno.ENODEV, e.errno());
    }

}
