package io.xdpgate.datapath.kernel;

import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Expect;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Layout;
import io.xdpgate.abi.Meta;
import io.xdpgate.datapath.bpf.BpfMap;
import io.xdpgate.datapath.bpf.BpfMapType;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.Libbpf;
import io.xdpgate.datapath.tables.MapNames;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes what a kernel suite did to one loaded packet processor as a fixture that
 * {@code bpf/test/replay.c} replays on another kernel (Debian 12's 6.1 under qemu,
 * {@code make check-kernels}): how the object was loaded, the map state in front of every test
 * run, the frame, and what the run produced (action, output frame, metadata, every map entry it
 * changed). The format is in {@code bpf/README.md}.
 *
 * <p>State is recorded as differences: before a run, what the test wrote since the previous run;
 * after it, what the run changed. Bytes that legitimately differ between kernels and runs
 * (timestamps, connection ids, which carry the CPU number) are masked. Active only when the
 * system property {@code xdpgate.fixtures.dir} names a directory; otherwise every call is a
 * no-op.
 */
final class FixtureRecorder implements AutoCloseable {
    static final String DIR_PROPERTY = "xdpgate.fixtures.dir";
    private static final HexFormat HEX = HexFormat.of();
    private static final Map<String, AtomicInteger> FILES_PER_SUITE = new ConcurrentHashMap<>();
    private static volatile String currentCase = "(set-up)";
    private static volatile String currentSuite = "Unknown";

    /**
     * Maps not replayed: the ring buffer and the socket map cannot be read from user space, and the
     * per-CPU sequence and scratch space only feed bytes that are masked (ids) or never leave the run.
     */
    private static final Set<String> UNTRACKED = Set.of(MapNames.EVENTS, MapNames.GW_XSKS, MapNames.CONN_SEQ, "scratch");

    /**
     * Per map: the value bytes that are not compared (1 bits in the mask are compared). The kernel
     * writes paired ports' expectations: their deadline is its clock's, their parent a connection
     * id.
     */
    private static final Map<String, byte[]> VALUE_MASKS = Map.of(
            MapNames.CONNS, mask(Conn.LAYOUT, "id", "created_ns", "last_seen_ns"),
            MapNames.PAIRS, mask(Expect.LAYOUT, "expires_ns", "parent_id"));
    private static final byte[] META_MASK = mask(Meta.LAYOUT, "conn_id");
    /**
     * Arrays above this size (ifaces, pol_rules) cost milliseconds to read, more than the test run;
     * they are read only after {@link #mayHaveWritten()}, and never after a run: the program reads
     * them and never writes them.
     */
    private static final int LARGE_ARRAY = 1024;

    /** Where map values hold an ifindex (translated, see {@link #virtual}). */
    private static final Map<String, Integer> IFINDEX_IN_VALUE = Map.of(
            MapNames.CONNS, Conn.LAYOUT.field("in_ifindex").offset(),
            MapNames.GATEWAYS, Gateway.LAYOUT.field("ifindex").offset(),
            MapNames.GW_TX, 0,
            MapNames.FWD_PORTS, 0);

    private final BufferedWriter out;
    private final BpfObject object;
    private final List<BpfMap> maps;
    /** The test's interfaces in order; the replay's are ifindex 1, 2, 3 ... in the same order. */
    private final List<Integer> interfaces;
    /** What the replay holds after the last step written: per map, key -> value (arrays: non-zero only). */
    private final Map<String, Map<Key, byte[]>> known = new HashMap<>();
    private String lastCase;
    private boolean largeArraysDirty = true;

    private FixtureRecorder(BufferedWriter out, BpfObject object, List<BpfMap> maps, List<Integer> interfaces) {
        this.out = out;
        this.object = object;
        this.maps = maps;
        this.interfaces = interfaces;
    }

    /** The test that is running, for the fixture's case lines (set by {@link DatapathSuite}). */
    static void currentCase(String suite, String name) {
        currentSuite = suite;
        currentCase = name;
    }

    /**
     * Starts a fixture for a freshly loaded object whose runs arrive on {@code interfaces}, or
     * returns null when fixtures are off. The replay has its own interfaces, ifindex 1, 2, 3 ...
     * in the same order: ifindexes in runs, in the ifaces map's keys and in map values that name
     * an interface are written translated.
     */
    static FixtureRecorder start(BpfObject object, List<Integer> interfaces) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        String suite = currentSuite;
        int n = FILES_PER_SUITE.computeIfAbsent(suite, s -> new AtomicInteger()).incrementAndGet();
        try {
            Path file = Path.of(dir).resolve(suite + "-" + n + ".fixture");
            Files.createDirectories(file.getParent());
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
            List<BpfMap> maps = object.mapNames().stream()
                    .filter(name -> !name.contains(".") && !UNTRACKED.contains(name))
                    .map(object::map)
                    .toList();
            FixtureRecorder r = new FixtureRecorder(w, object, maps, List.copyOf(interfaces));
            r.writeLoad(suite);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeLoad(String suite) throws IOException {
        line("xdpgate-fixture 1");
        line("suite " + suite);
        line("interfaces " + interfaces.size());
        line("open");
        for (String name : object.mapNames()) {
            if (!name.contains(".")) {
                line("size " + name + " " + object.map(name).maxEntries());
            }
        }
        BpfMap rodata = object.map(".rodata");
        line("rodata " + hex(rodata.lookup(new byte[rodata.keySize()]).orElseThrow()));
        line("load");
        for (BpfMap m : maps) {
            known.put(m.name(), read(m));
        }
    }

    /** The test may have written any map, large arrays included (see {@link #LARGE_ARRAY}). */
    void mayHaveWritten() {
        largeArraysDirty = true;
    }

    /** Before a test run: the map writes since the last step, the frame, then the run's outcome. */
    void run(String program, int ifindex, byte[] metaIn, byte[] frame, Runnable runIt) {
        Map<String, Map<Key, byte[]>> before = new HashMap<>();
        for (BpfMap m : maps) {
            before.put(m.name(), isLarge(m) && !largeArraysDirty ? known.get(m.name()) : read(m));
        }
        largeArraysDirty = false;
        try {
            if (!currentCase.equals(lastCase)) {
                lastCase = currentCase;
                line("case " + currentCase.replace('\n', ' '));
            }
            for (BpfMap m : maps) {
                writeSetUp(m, known.get(m.name()), before.get(m.name()));
            }
            line("run " + program + " " + virtual(ifindex) + " " + hex(metaIn) + " " + hex(frame));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runIt.run();
    }

    /** After the run: action, output, and every entry the run changed. */
    void outcome(int action, byte[] metaOut, byte[] packetOut) {
        try {
            String metaMask = metaOut.length == META_MASK.length ? hex(META_MASK) : "-";
            line("expect " + action + " " + hex(metaOut) + " " + metaMask + " " + hex(packetOut));
            for (BpfMap m : maps) {
                if (isLarge(m)) {
                    continue;
                }
                Map<Key, byte[]> was = known.get(m.name());
                Map<Key, byte[]> now = read(m);
                writeChanges(m, was, now);
                known.put(m.name(), now);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The start of a run: {@link #run} has just diffed against {@code known}; the state the test
     * set up becomes what the replay holds.
     */
    private void writeSetUp(BpfMap m, Map<Key, byte[]> was, Map<Key, byte[]> now) throws IOException {
        boolean array = isArray(m);
        for (var e : now.entrySet()) {
            byte[] old = was.get(e.getKey());
            if (old == null || !Arrays.equals(old, e.getValue())) {
                line("put " + m.name() + " " + hex(key(m, e.getKey().bytes)) + " " + hex(value(m, e.getValue())));
            }
        }
        for (Key k : was.keySet()) {
            if (!now.containsKey(k)) {
                line(array ? "put " + m.name() + " " + hex(key(m, k.bytes)) + " " + hex(new byte[m.valueSize()])
                        : "del " + m.name() + " " + hex(key(m, k.bytes)));
            }
        }
        known.put(m.name(), now);
    }

    private void writeChanges(BpfMap m, Map<Key, byte[]> was, Map<Key, byte[]> now) throws IOException {
        boolean array = isArray(m);
        boolean changed = false;
        String mask = VALUE_MASKS.containsKey(m.name()) ? hex(VALUE_MASKS.get(m.name())) : "-";
        for (var e : now.entrySet()) {
            byte[] old = was.get(e.getKey());
            if (old == null || !Arrays.equals(old, e.getValue())) {
                line("want " + m.name() + " " + hex(key(m, e.getKey().bytes)) + " " + hex(value(m, e.getValue())) + " "
                        + mask);
                changed = true;
            }
        }
        for (Key k : was.keySet()) {
            if (!now.containsKey(k)) {
                line(array ? "want " + m.name() + " " + hex(key(m, k.bytes)) + " " + hex(new byte[m.valueSize()]) + " -"
                        : "gone " + m.name() + " " + hex(key(m, k.bytes)));
                changed = true;
            }
        }
        if (changed && !array) {
            line("count " + m.name() + " " + now.size());
        }
    }

    /** The replay's ifindex for one of the test's; any other value (0: none) unchanged. */
    private int virtual(int ifindex) {
        int i = interfaces.indexOf(ifindex);
        return i < 0 ? ifindex : i + 1;
    }

    private byte[] key(BpfMap m, byte[] key) {
        return m.name().equals(MapNames.IFACES) || m.name().equals(MapNames.FWD_PORTS) ? withIfindexAt(key, 0) : key;
    }

    private byte[] value(BpfMap m, byte[] value) {
        Integer at = IFINDEX_IN_VALUE.get(m.name());
        return at == null ? value : withIfindexAt(value, at);
    }

    private byte[] withIfindexAt(byte[] bytes, int offset) {
        ByteBuffer b = ByteBuffer.wrap(bytes.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(offset, virtual(b.getInt(offset)));
        return b.array();
    }

    private static boolean isLarge(BpfMap m) {
        return isArray(m) && m.maxEntries() > LARGE_ARRAY;
    }

    private static boolean isArray(BpfMap m) {
        return m.type() == BpfMapType.ARRAY || m.type() == BpfMapType.PERCPU_ARRAY || m.type() == BpfMapType.DEVMAP;
    }

    /** A map's content; arrays without their all-zero slots, per-CPU values summed over CPUs. */
    private static Map<Key, byte[]> read(BpfMap m) {
        Map<Key, byte[]> content = new LinkedHashMap<>();
        for (BpfMap.Entry e : entries(m)) {
            byte[] value = m.type().isPerCpu() ? sumOverCpus(m, e.value()) : e.value();
            if (isArray(m) && isZero(value)) {
                continue;
            }
            content.put(new Key(e.key()), value);
        }
        return content;
    }

    private static List<BpfMap.Entry> entries(BpfMap m) {
        if (m.type() == BpfMapType.DEVMAP) { // no batch lookup; every slot answers
            List<BpfMap.Entry> out = new ArrayList<>();
            for (int i = 0; i < m.maxEntries(); i++) {
                byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(i).array();
                m.lookup(key).ifPresent(v -> out.add(new BpfMap.Entry(key, v)));
            }
            return out;
        }
        return isArray(m) ? m.lookupBatch(m.maxEntries()) : m.lookupBatch();
    }

    private static byte[] sumOverCpus(BpfMap m, byte[] all) {
        int stride = (m.valueSize() + 7) & ~7;
        ByteBuffer in = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer sum = ByteBuffer.allocate(m.valueSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int w = 0; w + 8 <= m.valueSize(); w += 8) {
            long s = 0;
            for (int cpu = 0; cpu < Libbpf.possibleCpus(); cpu++) {
                s += in.getLong(cpu * stride + w);
            }
            sum.putLong(w, s);
        }
        return sum.array();
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] mask(Layout layout, String... ignored) {
        byte[] mask = new byte[layout.size()];
        Arrays.fill(mask, (byte) 0xff);
        for (String name : ignored) {
            Layout.Field f = layout.field(name);
            Arrays.fill(mask, f.offset(), f.offset() + f.size(), (byte) 0);
        }
        return mask;
    }

    private static String hex(byte[] b) {
        return b.length == 0 ? "-" : HEX.formatHex(b);
    }

    private void line(String s) throws IOException {
        out.write(s);
        out.write('\n');
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Map keys compared by content. */
    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
