package io.xdpgate.bench;

import io.xdpgate.abi.Gateway;

import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.XdpgateTables;
import io.xdpgate.gateways.afxdp.XskSocket;
import io.xdpgate.gateways.runtime.GatewayRuntime;
import io.xdpgate.gateways.runtime.XskGateway;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Frames per second through AF_XDP on a veth pair, with and without the gateway runtime, in one
 * run: a generator socket on one end sends TCP segments of one connection; on the other end
 * either a bare reflector sends every frame straight back (the AF_XDP limit on this machine) or
 * the real {@link XskGateway} runs them through reassembly, a session that approves every byte,
 * and release. Writes bench/results/afxdp-runtime.md. Root only; the veth pair has no
 * addresses, so nothing leaves it.
 */
public final class XskRuntimeBench {
    private static final String A = "xgbench0";
    private static final String B = "xgbench1";
    private static final int ROUNDS = Integer.getInteger("xdpgate.bench.rounds", 5);
    private static final long ROUND_NS = TimeUnit.SECONDS.toNanos(Integer.getInteger("xdpgate.bench.seconds", 3));
    private static final int WINDOW = 1024;
    private static final int BATCH = 64;
    private static final XskSocket.Config CONFIG = XskSocket.Config.DEFAULT;

    private XskRuntimeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path object = Path.of(System.getProperty("xdpgate.afxdp.object", "bpf/build/xdpgate.bpf.o"));
        Path results = Path.of(System.getProperty("xdpgate.afxdp.results", "bench/results/afxdp-runtime.md"));
        run("ip", "link", "del", A);
        run("ip", "link", "add", A, "type", "veth", "peer", "name", B);
        try (BpfObject obj = BpfObject.open(object)) {
            for (String dev : List.of(A, B)) {
                run("ethtool", "-K", dev, "tx", "off");
                run("sysctl", "-qw", "net.ipv6.conf." + dev + ".disable_ipv6=1");
                run("ip", "link", "set", dev, "up");
            }
            obj.load();
            XdpgateTables tables = new XdpgateTables(obj::map);
            int gw = 0;
            for (String dev : List.of(A, B)) {
                int ifindex = NetDevice.ifindex(dev);
                tables.ifaces().put(ifindex, new Iface(Role.GATEWAY, gw++, MacAddr.ZERO));
                obj.program(MapNames.XSK_PROGRAM).attachXdp(ifindex, XdpMode.NATIVE);
            }
            List<Row> rows = new ArrayList<>();
            for (int payload : new int[] {64, 1448}) {
                rows.add(measure("bare AF_XDP reflector (limit)", payload, tables, false));
                rows.add(measure("gateway runtime, approve every byte", payload, tables, true));
            }
            String table = render(rows);
            Files.createDirectories(results.getParent());
            Files.writeString(results, table, StandardCharsets.UTF_8);
            System.out.print(table);
        } finally {
            run("ip", "link", "del", A);
        }
    }

    private record Row(String path, int payload, double[] mpps) {
        double median() {
            double[] s = mpps.clone();
            Arrays.sort(s);
            return s[s.length / 2];
        }
    }

    private static Row measure(String name, int payload, XdpgateTables tables, boolean runtime) throws Exception {
        double[] rounds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            try (XskSocket gen = XskSocket.open(A, NetDevice.ifindex(A), 0, CONFIG);
                 Far far = runtime ? Far.runtime(tables) : Far.reflector(tables)) {
                tables.gwXsks().put(Gateway.slot(0, 0), gen.fd());
                rounds[r] = generate(gen, payload);
            }
            System.err.printf(Locale.ROOT, "%s, %d B: round %d %.3f Mpps%n", name, payload, r, rounds[r]);
        }
        return new Row(name, payload, rounds);
    }

    /** The far end: either a bare reflector thread or the real gateway runtime. */
    private interface Far extends AutoCloseable {
        @Override
        void close() throws Exception;

        static Far runtime(XdpgateTables tables) {
            ApplicationGateway approveAll = flow -> new GatewaySession() {
                @Override
                public Verdict onClientBytes(long offset, ByteBuffer bytes) {
                    return Verdict.approve(offset + bytes.remaining());
                }

                @Override
                public Verdict onServerBytes(long offset, ByteBuffer bytes) {
                    return Verdict.approve(offset + bytes.remaining());
                }
            };
            FlowContext origin = new FlowContext(1, new InetSocketAddress(addr("198.18.1.2"), 40000),
                    new InetSocketAddress(addr("198.18.2.2"), 80));
            XskGateway g = XskGateway.start("bench", B, NetDevice.ifindex(B), approveAll,
                    (c, cp, gp) -> Optional.of(origin), CONFIG, GatewayRuntime.Limits.DEFAULT, flows -> { });
            tables.gwXsks().put(Gateway.slot(1, 0), g.socketFd());
            return g::close;
        }

        static Far reflector(XdpgateTables tables) {
            XskSocket s = XskSocket.open(B, NetDevice.ifindex(B), 0, CONFIG);
            tables.gwXsks().put(Gateway.slot(1, 0), s.fd());
            Thread t = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    int n = s.receive(BATCH, (addr, len) -> {
                        if (!s.transmit(addr, len)) {
                            s.umem().free(addr);
                        }
                    });
                    s.flush();
                    if (n == 0) {
                        s.await(10);
                    }
                }
            }, "bench-reflector");
            t.start();
            return () -> {
                t.interrupt();
                t.join(5000);
                s.close();
            };
        }
    }

    /** Opens one connection, then keeps WINDOW data segments in flight for one round; Mpps back. */
    private static double generate(XskSocket gen, int payload) {
        byte[] syn = new PacketBuilder().ipv4("198.18.1.2", "198.18.255.1").tcp(40000, 50000).seq(1000).syn().build();
        byte[] synAck = new PacketBuilder().ipv4("198.18.255.1", "198.18.1.2").tcp(50000, 40000).seq(5000)
                .ackNumber(1001).syn().ack().build();
        byte[] data = new PacketBuilder().ipv4("198.18.1.2", "198.18.255.1").tcp(40000, 50000).seq(1001)
                .ackNumber(5001).ack().payload(new byte[payload]).build();
        int seqAt = 14 + 20 + 4;
        long[] received = {0};
        XskSocket.FrameHandler sink = (addr, len) -> {
            received[0]++;
            gen.umem().free(addr);
        };
        send(gen, syn);
        send(gen, synAck);
        gen.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (received[0] < 2 && System.nanoTime() < deadline) {
            gen.flush();
            gen.receive(BATCH, sink);
        }
        if (received[0] < 2) {
            throw new IllegalStateException("the handshake did not come back: is xdpgate_xsk attached?");
        }
        received[0] = 0;
        long sent = 0;
        int seq = 1001;
        ByteBuffer mem = gen.umem().bytes();
        long start = System.nanoTime();
        long end = start + ROUND_NS;
        while (System.nanoTime() < end) {
            int room = (int) Math.min(BATCH, WINDOW - (sent - received[0]));
            for (int i = 0; i < room; i++) {
                long addr = gen.umem().allocate();
                if (addr < 0) {
                    break;
                }
                mem.put((int) addr, data);
                mem.putInt((int) addr + seqAt, seq);
                if (!gen.transmit(addr, data.length)) {
                    gen.umem().free(addr);
                    break;
                }
                seq += payload;
                sent++;
            }
            gen.flush();
            gen.receive(BATCH * 4, sink);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return received[0] / seconds / 1e6;
    }

    private static void send(XskSocket s, byte[] frame) {
        long addr = s.umem().allocate();
        s.umem().bytes().put((int) addr, frame);
        s.transmit(addr, frame.length);
    }

    private static String render(List<Row> rows) {
        StringBuilder out = new StringBuilder("# AF_XDP: frames per second through the gateway runtime\n\n");
        out.append("Command: `sudo make bench-afxdp`. Date: ").append(LocalDate.now()).append(". Kernel: ")
                .append(System.getProperty("os.version")).append(". ").append(ROUNDS).append(" rounds of ")
                .append(ROUND_NS / 1_000_000_000L).append(" s per row, median.\n\n")
                .append("A generator AF_XDP socket on one end of a veth pair sends TCP segments of one connection ")
                .append("(").append(WINDOW).append(" in flight); at the other end (copy mode, `xdpgate_xsk` on both ")
                .append("ends) either a bare reflector sends each frame straight back, or the gateway runtime ")
                .append("(`XskGateway`: parse, flow lookup, reassembly, a session approving every byte, release) ")
                .append("does. Frames counted when back at the generator. Both share the machine's 2 cores with ")
                .append("the kernel's veth work, so the reflector is the limit for this setup, not for AF_XDP.\n\n");
        out.append("| path | TCP payload | Mframes/s (median) | min | max | x limit |\n|---|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.size(); i += 2) {
            double limit = rows.get(i).median();
            for (Row r : rows.subList(i, i + 2)) {
                double[] s = r.mpps().clone();
                Arrays.sort(s);
                out.append(String.format(Locale.ROOT, "| %s | %d B | %.3f | %.3f | %.3f | %.2f |%n", r.path(),
                        r.payload(), r.median(), s[0], s[s.length - 1], r.median() / limit));
            }
        }
        return out.toString();
    }

    private static InetAddress addr(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (IOException e) {
            throw new IllegalArgumentException(a, e);
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
    }
}
