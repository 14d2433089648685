package io.xdpgate.bench;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.AddressLiteral;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.bpf.TestRunResult;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A million redirected connections open at once in the kernel's tables, as the daemon sizes them
 * ({@code xdpgate.maps.conns} / {@code nat-rev}): the production object, one gateway with a
 * pool of 1,000 ports and source NAT over 1,050 ports (1,050,000 NAT identities), filled to 99%
 * by BPF_PROG_TEST_RUN SYNs from distinct clients. Measured on the way: the kernel's time per
 * new flow (and the refusals) around 1%, 50% and 99% fill; at the end: the entries in
 * {@code conns} and {@code nat_rev}, the kernel memory of each map (fdinfo {@code memlock}), and
 * every 100th connection restored from its NAT form (the frame the gateway hands back) to the
 * original bytes exactly. Writes bench/results/connection-scale.md. Root only; no packet leaves
 * the test run.
 */
public final class ConnectionScaleBench {
    /** BPF_PROG_TEST_RUN delivers frames as received on loopback (ifindex 1). */
    private static final int IFINDEX = 1;
    private static final int GW = 0;
    private static final int POOL = 1000;
    private static final int SNAT_POOL = 1050;
    private static final int SPACE = POOL * SNAT_POOL;
    private static final int ENTRIES = Integer.getInteger("xdpgate.scale.entries", 1_100_000);
    private static final int TARGET = (int) (SPACE * 0.99);
    /** SYNs measured around each fill level. */
    private static final int WINDOW = 2000;
    private static final int SAMPLE_EVERY = 100;
    private static final MacAddr MAC = MacAddr.parse("02:00:00:00:00:aa");
    private static final String SERVER = "198.18.2.2";
    private static final String GATEWAY4 = "198.18.100.1";
    private static final String SNAT4 = "198.18.100.254";

    private ConnectionScaleBench() {
    }

    /** What the SYNs of one window cost. */
    private record Window(String fill, int from, double kernelNs, double wallNs, int refused) {
    }

    public static void main(String[] args) throws IOException {
        Path object = Path.of(System.getProperty("xdpgate.scale.object", "bpf/build/xdpgate.bpf.o"));
        Path results = Path.of(System.getProperty("xdpgate.scale.results", "bench/results/connection-scale.md"));
        BpfObject obj = BpfObject.open(object);
        try {
            // what the daemon does with xdpgate.maps.conns / nat-rev (src_counts follows conns)
            obj.setMaxEntries(MapNames.CONNS, ENTRIES);
            obj.setMaxEntries(MapNames.NAT_REV, ENTRIES);
            obj.setMaxEntries(MapNames.SRC_COUNTS, ENTRIES);
            obj.load();
            XdpgateTables tables = new XdpgateTables(obj::map);
            BpfProgram xdp = obj.program(MapNames.PROGRAM);
            setUp(tables);

            int[] windowsAt = {SPACE / 100, SPACE / 2, TARGET - WINDOW};
            String[] names = {"1%", "50%", "99%"};
            List<Window> windows = new ArrayList<>();
            List<byte[]> originals = new ArrayList<>();
            List<byte[]> natted = new ArrayList<>();
            int opened = 0;
            int refused = 0;
            long started = System.nanoTime();
            int w = 0;
            for (int i = 0; i < TARGET; ) {
                if (w < windowsAt.length && i >= windowsAt[w]) {
                    Window measured = measureWindow(xdp, names[w++], i);
                    windows.add(measured);
                    opened += WINDOW - measured.refused();
                    refused += measured.refused();
                    i += WINDOW;
                    continue;
                }
                byte[] syn = syn(i);
                TestRunResult r = xdp.testRun(TestRunRequest.of(syn));
                boolean ok = r.xdpAction() == XdpAction.REDIRECT;
                opened += ok ? 1 : 0;
                refused += ok ? 0 : 1;
                if (ok && i % SAMPLE_EVERY == 0) {
                    originals.add(syn);
                    natted.add(r.packet());
                }
                if (++i % 100_000 == 0) {
                    System.err.printf(Locale.ROOT, "%,d SYNs, %,d open, %,d refused%n", i, opened, refused);
                }
            }
            double fillSeconds = (System.nanoTime() - started) / 1e9;
            long conns = tables.conns().keys().size();
            long natRev = tables.natRev().keys().size();

            // the gateway hands each sampled NAT frame back: the packet processor restores the original
            tables.ifaces().put(IFINDEX, new Iface(Role.GATEWAY, GW, MAC));
            int exact = 0;
            for (int k = 0; k < natted.size(); k++) {
                TestRunResult back = xdp.testRun(TestRunRequest.of(natted.get(k)));
                byte[] out = back.packet();
                byte[] want = originals.get(k);
                if (back.xdpAction() == XdpAction.PASS && Arrays.equals(out, 14, out.length, want, 14, want.length)) {
                    exact++;
                }
            }
            Map<String, Long> memory = new LinkedHashMap<>();
            for (String map : List.of(MapNames.CONNS, MapNames.NAT_REV, MapNames.SRC_COUNTS, MapNames.UNREPLIED)) {
                memory.put(map, obj.map(map).memoryBytes().orElse(-1));
            }
            String table = render(windows, opened, refused, conns, natRev, exact, natted.size(), memory, fillSeconds,
                    tables.counter(Stat.DROP_POOL_EXHAUSTED));
            Files.createDirectories(results.getParent());
            Files.writeString(results, table, StandardCharsets.UTF_8);
            System.out.print(table);
            if (exact != natted.size() || conns < 1_000_000) {
                throw new IllegalStateException("not a million connections restored exactly: see " + results);
            }
        } finally {
            obj.close();
        }
    }

    private static void setUp(XdpgateTables tables) {
        tables.ifaces().put(IFINDEX, new Iface(Role.EXTERNAL, GW, MAC));
        tables.gateways().put(GW, new Gateway(IpAddr.ZERO, IpAddr.ZERO, ip(GATEWAY4).ipv4Bits(),
                ip(SNAT4).ipv4Bits(), 40000, POOL, 50000, SNAT_POOL, IFINDEX, MAC, MAC, Abi.XG_GW_F_ACTIVE, 1,
                0x5eed));
        tables.gwTx().put(Gateway.slot(GW, 0), IFINDEX);
        new PolicyTables(tables).apply(PolicyCompiler.compile(
                List.of(Rule.builder(0).tcp().ports("80").redirect(GW).build()), Action.DROP));
    }

    private static Window measureWindow(BpfProgram xdp, String name, int from) {
        long kernel = 0;
        long wall = 0;
        int refused = 0;
        for (int i = from; i < from + WINDOW; i++) {
            byte[] syn = syn(i);
            long t0 = System.nanoTime();
            TestRunResult r = xdp.testRun(TestRunRequest.of(syn));
            wall += System.nanoTime() - t0;
            kernel += r.durationNs();
            refused += r.xdpAction() == XdpAction.REDIRECT ? 0 : 1;
        }
        return new Window(name, from, (double) kernel / WINDOW, (double) wall / WINDOW, refused);
    }

    /** Connection {@code i}'s SYN: client 198.18.16.0/20 (4,096 addresses) x source ports 1024-1279. */
    private static byte[] syn(int i) {
        int host = i >>> 8;
        String client = "198.18." + (16 + (host >>> 8)) + "." + (host & 0xff);
        return new PacketBuilder().ipv4(client, SERVER).tcp(1024 + (i & 0xff), 80).seq(1000L + i).syn().build();
    }

    private static String render(List<Window> windows, int opened, int refused, long conns, long natRev, int exact,
                                 int sampled, Map<String, Long> memory, double fillSeconds, long poolExhausted) {
        StringBuilder out = new StringBuilder("# A million redirected connections in the kernel's tables\n\n");
        out.append("Command: `sudo make bench` (ConnectionScaleBench). Date: ").append(LocalDate.now())
                .append(". Kernel: ").append(System.getProperty("os.version")).append(".\n\n")
                .append("The production object (`bpf/build/xdpgate.bpf.o`) with `conns`, `nat_rev` and `src_counts` ")
                .append(String.format(Locale.ROOT, "sized %,d (the daemon's `xdpgate.maps.conns` and ", ENTRIES))
                .append("`xdpgate.maps.nat-rev`); one gateway, pool 40000-40999 with source NAT over ")
                .append(String.format(Locale.ROOT, "50000-%d: %,d NAT identities. ", 50000 + SNAT_POOL - 1, SPACE))
                .append(String.format(Locale.ROOT, "%,d SYNs from distinct clients through BPF_PROG_TEST_RUN ", TARGET))
                .append("(99% of the identities), each redirected: a `conns` entry and a claimed `nat_rev` slot. ")
                .append(String.format(Locale.ROOT, "Filling took %.1f s.%n%n", fillSeconds));
        out.append("| fill of the NAT identities | new flows measured | kernel ns per new flow | wall us per SYN "
                + "(syscall and Java included) | refused |\n|---|---:|---:|---:|---:|\n");
        for (Window w : windows) {
            out.append(String.format(Locale.ROOT, "| %s (from %,d) | %,d | %.0f | %.1f | %d |%n", w.fill(), w.from(),
                    WINDOW, w.kernelNs(), w.wallNs() / 1000, w.refused()));
        }
        out.append(String.format(Locale.ROOT, "%nOpen at the end: %,d redirected connections (%,d refused on the way, "
                + "`drop_pool_exhausted` %,d); `conns` holds %,d entries, `nat_rev` %,d. ", opened, refused,
                poolExhausted, conns, natRev));
        out.append(String.format(Locale.ROOT, "Restored from the NAT frame the gateway hands back, byte-exact from "
                + "the IP header on (every %dth connection): %,d of %,d.%n%n", SAMPLE_EVERY, exact, sampled));
        out.append("| map | kernel memory (fdinfo memlock) |\n|---|---:|\n");
        long total = 0;
        for (Map.Entry<String, Long> e : memory.entrySet()) {
            total += e.getValue();
            out.append(String.format(Locale.ROOT, "| `%s` | %.1f MiB |%n", e.getKey(), e.getValue() / 1048576.0));
        }
        out.append(String.format(Locale.ROOT, "| total | %.1f MiB (%.0f bytes per connection) |%n", total / 1048576.0,
                (double) total / Math.max(1, conns)));
        return out.toString();
    }

    private static IpAddr ip(String literal) {
        return IpAddr.of(AddressLiteral.parse(literal));
    }
}
