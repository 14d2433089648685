package io.xdpgate.gateways.afxdp;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.NatKey;
import io.xdpgate.abi.TcpState;
import io.xdpgate.abi.TcpWindow;
import io.xdpgate.abi.Tuple;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.XdpgateTables;
import io.xdpgate.datapath.testing.Commands;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestNetwork;
import io.xdpgate.datapath.testing.TestObjects;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two AF_XDP sockets on the two ends of a veth pair, each end running the packet processor's
 * xdpgate_xsk program: what one socket transmits the other receives, byte for byte, in
 * batches larger than the rings; a closed socket leaves the XSKMAP and its frames are dropped
 * and counted. xdpgate_xsk delivers only frames of a connection it knows (it writes that
 * connection's metadata in front), so every frame here belongs to one connection both ends
 * (gateways 0 and 1) know.
 */
@KernelTest
class XskSocketKernelTest {
    private static final XskSocket.Config SMALL = new XskSocket.Config(1024, 4096, 256, 256, 512, 512, false);
    private static final String CLIENT = "198.18.0.1";
    private static final String GATEWAY = "198.18.0.2";
    private static final int CLIENT_PORT = 40000;
    private static final int GATEWAY_PORT = 50000;

    private TestNetwork net;
    private BpfObject object;
    private XdpgateTables tables;
    private final List<AutoCloseable> open = new ArrayList<>();
    private String a;
    private String b;

    @BeforeEach
    void setUp() {
        net = new TestNetwork();
        String[] pair = net.veth("xa", "xb");
        a = pair[0];
        b = pair[1];
        for (String dev : pair) {
            Commands.run("ethtool", "-K", dev, "tx", "off");
            Commands.run("sysctl", "-qw", "net.ipv6.conf." + dev + ".disable_ipv6=1");
        }
        object = BpfObject.open(TestObjects.xdpgate());
        object.load();
        tables = new XdpgateTables(object::map);
        int gw = 0;
        for (String dev : pair) {
            int ifindex = NetDevice.ifindex(dev);
            knowTheConnection(gw, ifindex);
            tables.ifaces().put(ifindex, new Iface(Role.GATEWAY, gw++, MacAddr.ZERO));
            object.program(MapNames.XSK_PROGRAM).attachXdp(ifindex, XdpMode.NATIVE);
        }
    }

    /** Gateway {@code gw} at GATEWAY holds the connection CLIENT -> GATEWAY:GATEWAY_PORT. */
    private void knowTheConnection(int gw, int ifindex) {
        Tuple orig = Tuple.of(inet(CLIENT), CLIENT_PORT, inet(GATEWAY), 80, IpProto.TCP);
        Tuple nat = Tuple.of(inet(CLIENT), CLIENT_PORT, inet(GATEWAY), GATEWAY_PORT, IpProto.TCP);
        tables.gateways().put(gw, new Gateway(IpAddr.ZERO, IpAddr.ZERO, IpAddr.of(inet(GATEWAY)).ipv4Bits(), 0,
                GATEWAY_PORT, 1, 0, 0, ifindex, MacAddr.ZERO, MacAddr.ZERO, Abi.XG_GW_F_ACTIVE));
        tables.natRev().put(new NatKey(gw, GATEWAY_PORT, 0, IpProto.TCP), orig);
        tables.conns().put(orig, new Conn(7, 0, 0, 0, 0, 0, 0, nat, 1, gw, Action.REDIRECT, TcpState.ESTABLISHED,
                0, Role.EXTERNAL, 1, TcpWindow.NONE, TcpWindow.NONE, 0));
    }

    private static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        net.close();
        if (object != null) {
            object.close();
        }
    }

    private XskSocket socket(String dev, int gwId) {
        XskSocket s = XskSocket.open(dev, NetDevice.ifindex(dev), 0, SMALL);
        open.add(s);
        tables.gwXsks().put(Gateway.slot(gwId, 0), s.fd());
        return s;
    }

    /** A frame of the known connection, {@code size} bytes, carrying {@code n} in its payload. */
    private static byte[] frame(int n, int size) {
        return frame(n, size, GATEWAY_PORT);
    }

    private static byte[] frame(int n, int size, int gatewayPort) {
        byte[] payload = new byte[size - 54]; // Ethernet, IPv4 and TCP headers take 54
        ByteBuffer.wrap(payload).putInt(0, n);
        for (int i = 4; i < payload.length; i++) {
            payload[i] = (byte) (n * 31 + i);
        }
        return new PacketBuilder().ipv4(CLIENT, GATEWAY).tcp(CLIENT_PORT, gatewayPort).ack().payload(payload).build();
    }

    private static void send(XskSocket s, byte[] frame) {
        long addr = s.umem().allocate();
        assertTrue(addr >= 0, "no free chunk to send from");
        s.umem().bytes().put((int) addr, frame);
        assertTrue(s.transmit(addr, frame.length), "TX ring full");
    }

    private static List<byte[]> receive(XskSocket s, int expected) {
        List<byte[]> got = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got.size() < expected && System.nanoTime() < deadline) {
            s.flush();
            int n = s.receive(64, (addr, len) -> {
                byte[] copy = new byte[len];
                s.umem().bytes().get((int) addr, copy);
                got.add(copy);
                s.umem().free(addr);
            });
            if (n == 0) {
                s.await(10);
            }
        }
        return got;
    }

    @Test
    void framesCrossTheVethIntactInBatchesLargerThanTheRings() {
        XskSocket sa = socket(a, 0);
        XskSocket sb = socket(b, 1);
        int count = 3000; // > every ring: the TX, completion and fill paths must all recycle
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long addr;
            while ((addr = sa.umem().allocate()) < 0) {
                sa.flush(); // completions bring chunks back
                got.addAll(drain(sb));
            }
            byte[] f = frame(i, 60 + i % 1400);
            sa.umem().bytes().put((int) addr, f);
            while (!sa.transmit(addr, f.length)) {
                sa.flush();
                got.addAll(drain(sb));
            }
            if (i % 32 == 31) {
                sa.flush();
                got.addAll(drain(sb));
            }
        }
        sa.flush();
        got.addAll(receive(sb, count - got.size()));
        assertEquals(count, got.size(), "frames received");
        for (int i = 0; i < count; i++) {
            assertArrayEquals(frame(i, 60 + i % 1400), got.get(i), "frame " + i);
        }
    }

    private static List<byte[]> drain(XskSocket s) {
        List<byte[]> got = new ArrayList<>();
        s.flush();
        s.receive(256, (addr, len) -> {
            byte[] copy = new byte[len];
            s.umem().bytes().get((int) addr, copy);
            got.add(copy);
            s.umem().free(addr);
        });
        return got;
    }

    @Test
    void aFrameReceivedCanBeSentBackFromTheSameChunk() {
        XskSocket sa = socket(a, 0);
        XskSocket sb = socket(b, 1);
        send(sa, frame(7, 200));
        sa.flush();
        long[] seen = new long[2];
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (seen[1] == 0 && System.nanoTime() < deadline) {
            sb.flush();
            sb.receive(1, (addr, len) -> {
                seen[0] = addr;
                seen[1] = len;
            });
            sb.await(10);
        }
        assertEquals(200, seen[1]);
        assertTrue(sb.transmit(seen[0], (int) seen[1]));
        sb.flush();
        List<byte[]> back = receive(sa, 1);
        assertEquals(1, back.size());
        assertArrayEquals(frame(7, 200), back.get(0));
    }

    @Test
    void aClosedSocketLeavesTheMapAndItsFramesAreDroppedAndCounted() throws Exception {
        XskSocket sa = socket(a, 0);
        XskSocket sb = socket(b, 1);
        sb.close();
        long before = tables.counter(Stat.DROP_GW_DOWN);
        send(sa, frame(1, 100));
        assertEquals(before + 1, counterAfterSending(sa, Stat.DROP_GW_DOWN, before), "drop_gw_down");
    }

    /** Flushes {@code s} until {@code stat} moves from {@code before} (at most 5 s); its value then. */
    private long counterAfterSending(XskSocket s, Stat stat, long before) throws InterruptedException {
        s.flush();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (tables.counter(stat) == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
            s.flush();
        }
        return tables.counter(stat);
    }

    @Test
    void aFrameOfNoKnownConnectionIsDroppedAndCounted() throws Exception {
        XskSocket sa = socket(a, 0);
        XskSocket sb = socket(b, 1);
        long before = tables.counter(Stat.DROP_META);
        send(sa, frame(1, 100, GATEWAY_PORT + 1));
        assertEquals(before + 1, counterAfterSending(sa, Stat.DROP_META, before), "drop_meta");
        assertEquals(0, receive(sb, 1).size(), "delivered to the socket");
    }

    @Test
    void bindingToAMissingQueueSaysWhichAndWhy() {
        XskException e = org.junit.jupiter.api.Assertions.assertThrows(XskException.class,
                () -> XskSocket.open(a, NetDevice.ifindex(a), 5, SMALL));
        assertTrue(e.getMessage().startsWith("bind AF_XDP socket to " + a + " queue 5 (copy mode): EINVAL"),
                e.getMessage());
    }
}
