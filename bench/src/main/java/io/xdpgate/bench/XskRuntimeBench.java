package io.xdpgate.bench;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.AddressLiteral;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.NatKey;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.TcpState;
import io.xdpgate.abi.TcpWindow;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.XdpgateTables;
import io.xdpgate.gateways.afxdp.XskSocket;
import io.xdpgate.gateways.runtime.ExpectationBroker;
import io.xdpgate.gateways.runtime.GatewayRuntime;
import io.xdpgate.gateways.runtime.XskGateway;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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
    /** Segments in flight: below the runtime's hold budget of 512 frames per connection (held plus released and unacknowledged). */
    private static final int WINDOW = 256;
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
                knowTheConnection(tables, gw, ifindex);
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

    /**
     * @param mpps     frames back at the generator per second of wall time, each round
     * @param perCore  frames the far end handled per second of its own thread's CPU time, each round
     */
    private record Row(String path, int payload, double[] mpps, double[] perCore, double[] userNs, double[] sysNs) {
        double median() {
            return median(mpps);
        }

        static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s[s.length / 2];
        }
    }

    private static Row measure(String name, int payload, XdpgateTables tables, boolean runtime) throws Exception {
        double[] rounds = new double[ROUNDS];
        double[] perCore = new double[ROUNDS];
        double[] userNs = new double[ROUNDS];
        double[] sysNs = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            try (XskSocket gen = XskSocket.open(A, NetDevice.ifindex(A), 0, CONFIG);
                 Far far = runtime ? Far.runtime(tables) : Far.reflector(tables)) {
                tables.gwXsks().put(Gateway.slot(0, 0), gen.fd());
                Round round = generate(gen, payload, far);
                rounds[r] = round.mpps();
                perCore[r] = round.perCoreMpps();
                userNs[r] = round.userNsPerFrame();
                sysNs[r] = round.sysNsPerFrame();
            }
            System.err.printf(Locale.ROOT, "%s, %d B: round %d %.3f Mpps, %.3f Mframes per CPU second%n", name,
                    payload, r, rounds[r], perCore[r]);
        }
        return new Row(name, payload, rounds, perCore, userNs, sysNs);
    }

    /** The far end: either a bare reflector thread or the real gateway runtime. */
    private interface Far extends AutoCloseable {
        @Override
        void close() throws Exception;

        /** CPU time of its thread so far, ns. */
        long cpuNanos();

        /** The user-mode part of it (the rest is the kernel's, in its receive and send calls). */
        long userNanos();

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
                    (proto, c, cp, gp) -> Optional.of(origin), ExpectationBroker.NONE, CONFIG,
                    GatewayRuntime.Limits.DEFAULT, flows -> { });
            tables.gwXsks().put(Gateway.slot(1, 0), g.socketFd());
            return new Far() {
                @Override
                public void close() {
                    g.close();
                }

                @Override
                public long cpuNanos() {
                    return g.cpuNanos();
                }

                @Override
                public long userNanos() {
                    return g.userNanos();
                }
            };
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
            return new Far() {
                @Override
                public void close() throws InterruptedException {
                    t.interrupt();
                    t.join(5000);
                    s.close();
                }

                @Override
                public long cpuNanos() {
                    return ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
                }

                @Override
                public long userNanos() {
                    return ManagementFactory.getThreadMXBean().getThreadUserTime(t.getId());
                }
            };
        }
    }

    /**
     * Gateway {@code gw} at 198.18.255.1 holds the generator's connection, as the packet processor
     * would have made it: {@code xdpgate_xsk} writes each frame's metadata from these entries and
     * drops a frame of no known connection.
     */
    private static void knowTheConnection(XdpgateTables tables, int gw, int ifindex) {
        Tuple orig = Tuple.of(addr("198.18.1.2"), 40000, addr("198.18.2.2"), 80, IpProto.TCP);
        Tuple nat = Tuple.of(addr("198.18.1.2"), 40000, addr("198.18.255.1"), 50000, IpProto.TCP);
        tables.gateways().put(gw, new Gateway(IpAddr.ZERO, IpAddr.ZERO, IpAddr.of(addr("198.18.255.1")).ipv4Bits(), 0,
                50000, 1, 0, 0, ifindex, MacAddr.ZERO, MacAddr.ZERO, Abi.XG_GW_F_ACTIVE));
        tables.natRev().put(new NatKey(gw, 50000, 0, IpProto.TCP), orig);
        tables.conns().put(orig, new Conn(1, 0, 0, 0, 0, 0, 0, nat, 1, gw, Action.REDIRECT, TcpState.ESTABLISHED,
                0, Role.EXTERNAL, ifindex, TcpWindow.NONE, TcpWindow.NONE, 0));
    }

    private record Round(double mpps, double perCoreMpps, double userNsPerFrame, double sysNsPerFrame) {
    }

    /**
     * Opens one connection, then keeps WINDOW data segments in flight for one round: frames back
     * per second, and per second of the far end's CPU time.
     */
    private static Round generate(XskSocket gen, int payload, Far far) {
        // window scale 7 both ways: the window (65535 << 7) never limits the WINDOW segments in flight
        byte[] wscale = {1, 3, 3, 7};
        byte[] syn = new PacketBuilder().ipv4("198.18.1.2", "198.18.255.1").tcp(40000, 50000).seq(1000).syn()
                .tcpOptions(wscale).build();
        byte[] synAck = new PacketBuilder().ipv4("198.18.255.1", "198.18.1.2").tcp(50000, 40000).seq(5000)
                .ackNumber(1001).syn().ack().tcpOptions(wscale).build();
        byte[] data = new PacketBuilder().ipv4("198.18.1.2", "198.18.255.1").tcp(40000, 50000).seq(1001)
                .ackNumber(5001).ack().window(65535).payload(new byte[payload]).build();
        // the server's acknowledgement of what came back, sent once per receive batch (as a
        // receiver's delayed ACKs do): the runtime keeps released bytes until they are acknowledged
        byte[] ack = new PacketBuilder().ipv4("198.18.255.1", "198.18.1.2").tcp(50000, 40000).seq(5001)
                .ackNumber(1001).ack().window(65535).build();
        int seqAt = 14 + 20 + 4;
        int ackAt = 14 + 20 + 8;
        int checkAt = 14 + 20 + 16;
        int dataCheck = ((data[checkAt] & 0xff) << 8) | (data[checkAt + 1] & 0xff);
        int ackCheck = ((ack[checkAt] & 0xff) << 8) | (ack[checkAt + 1] & 0xff);
        long[] received = {0, 0};
        XskSocket.FrameHandler sink = (addr, len) -> {
            received[len == data.length ? 0 : 1]++;
            gen.umem().free(addr);
        };
        send(gen, syn);
        send(gen, synAck);
        // the server's first ACK opens its scaled window (a SYN-ACK's window is never scaled)
        send(gen, ack);
        gen.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (received[1] < 3 && System.nanoTime() < deadline) {
            gen.flush();
            gen.receive(BATCH, sink);
        }
        if (received[1] < 3) {
            throw new IllegalStateException("the handshake did not come back: is xdpgate_xsk attached?");
        }
        received[0] = 0;
        long sent = 0;
        long acked = 0;
        int seq = 1001;
        ByteBuffer mem = gen.umem().bytes();
        long cpuStart = far.cpuNanos();
        long userStart = far.userNanos();
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
                // the runtime checks every checksum, as a receiver does
                mem.putShort((int) addr + checkAt, (short) checksumWith(dataCheck, 1001, seq));
                if (!gen.transmit(addr, data.length)) {
                    gen.umem().free(addr);
                    break;
                }
                seq += payload;
                sent++;
            }
            gen.flush();
            gen.receive(BATCH * 4, sink);
            if (received[0] > acked) {
                long addr = gen.umem().allocate();
                if (addr >= 0) {
                    int ackNo = (int) (1001 + received[0] * payload);
                    mem.put((int) addr, ack);
                    mem.putInt((int) addr + ackAt, ackNo);
                    mem.putShort((int) addr + checkAt, (short) checksumWith(ackCheck, 1001, ackNo));
                    if (gen.transmit(addr, ack.length)) {
                        acked = received[0];
                    } else {
                        gen.umem().free(addr);
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = far.cpuNanos() - cpuStart;
        long user = far.userNanos() - userStart;
        double frames = Math.max(1, received[0]);
        return new Round(received[0] / seconds / 1e6, received[0] / (cpu / 1e9) / 1e6, user / frames,
                (cpu - user) / frames);
    }

    /** RFC 1624: the checksum of a segment one of whose 32-bit fields changed from {@code was} to {@code now}. */
    static int checksumWith(int check, int was, int now) {
        long sum = (~check & 0xffff) + (~(was >>> 16) & 0xffff) + (~was & 0xffff) + ((now >>> 16) & 0xffff)
                + (now & 0xffff);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
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
                .append("the kernel's veth work, so the reflector is the limit for this setup, not for AF_XDP. ")
                .append("*Per core* is the far end's frames per second of its own thread's CPU time (user and ")
                .append("system, `ThreadMXBean`): what one core running only that thread would do, the kernel's ")
                .append("copy into the UMEM included (it runs in that thread's receive and send calls) but not the ")
                .append("veth and XDP work of the softirqs. It splits into user time (the Java loop) and system ")
                .append("time (the kernel's AF_XDP copy and, in copy mode, the veth transmit inside `sendto`), ")
                .append("per data frame.\n\n");
        out.append("| path | TCP payload | Mframes/s (median) | min | max | x limit | Mframes per core-second | ")
                .append("user ns/frame | system ns/frame |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.size(); i += 2) {
            double limit = rows.get(i).median();
            for (Row r : rows.subList(i, i + 2)) {
                double[] s = r.mpps().clone();
                Arrays.sort(s);
                out.append(String.format(Locale.ROOT, "| %s | %d B | %.3f | %.3f | %.3f | %.2f | %.3f | %.0f | %.0f |%n",
                        r.path(), r.payload(), r.median(), s[0], s[s.length - 1], r.median() / limit,
                        Row.median(r.perCore()), Row.median(r.userNs()), Row.median(r.sysNs())));
            }
        }
        return out.toString();
    }

    private static InetAddress addr(String a) {
        return AddressLiteral.parse(a);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
    }
}
