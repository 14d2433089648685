package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import io.xdpgate.datapath.jna.BpfMapBatchOpts;
import io.xdpgate.datapath.jna.BpfMapInfo;
import io.xdpgate.datapath.jna.LibBpfNative;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A BPF map by file descriptor, with raw byte keys and values. Kernel operations on one map are
 * safe from several threads. A map taken from a {@link BpfObject} borrows the object's descriptor
 * (closing the map does nothing); one from {@link #fromPinned} owns its descriptor.
 *
 * <p>Per-CPU maps: a value is {@link Libbpf#possibleCpus()} slots of {@code round_up(valueSize, 8)}
 * bytes; {@link #lookup(byte[])} returns all slots back to back, {@link #lookupPerCpu} splits them.
 */
public final class BpfMap implements AutoCloseable {
    /** One key and its value, as {@link #lookupBatch()} returns them. */
    public record Entry(byte[] key, byte[] value) {
    }

    private static final int BATCH_CHUNK = 1024;

    private final int fd;
    private final String name;
    private final BpfMapType type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int flags;
    private final FdOwner owner;
    private volatile boolean closed;

    BpfMap(int fd, String name, BpfMapType type, int keySize, int valueSize, int maxEntries, int flags,
           FdOwner owner) {
        this.fd = fd;
        this.name = name;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = flags;
        this.owner = owner;
    }

    /** Opens a map pinned on bpffs; the returned map owns its descriptor and must be closed. */
    public static BpfMap fromPinned(Path path) {
        LibBpfNative lib = NativeLibraries.bpf();
        int fd = lib.bpf_obj_get(path.toString());
        if (fd < 0) {
            throw Checked.errno("open pinned map " + path, -fd);
        }
        try {
            if (!FdInfo.isMap(fd)) {
                throw new IllegalArgumentException(path + " is a pinned BPF object but not a map");
            }
            BpfMapInfo info = new BpfMapInfo();
            IntByReference len = new IntByReference(info.size());
            int rc = lib.bpf_obj_get_info_by_fd(fd, info, len);
            if (rc < 0) {
                throw Checked.errno("read info of pinned map " + path, -rc);
            }
            String name = new String(info.name, StandardCharsets.US_ASCII).replace("\0", "");
            return new BpfMap(fd, name, BpfMapType.of(info.type), info.key_size, info.value_size,
                    info.max_entries, info.map_flags, null);
        } catch (RuntimeException e) {
            NativeLibraries.c().close(fd);
            throw e;
        }
    }

    public int fd() {
        if (owner != null) {
            owner.ensureOpen();
        } else if (closed) {
            throw new IllegalStateException("map " + name + " is closed");
        }
        return fd;
    }

    public String name() {
        return name;
    }

    /** The kernel memory the map takes (fdinfo's {@code memlock}); empty where the kernel does not say. */
    public OptionalLong memoryBytes() {
        return FdInfo.number(fd(), "memlock");
    }

    public BpfMapType type() {
        return type;
    }

    public int keySize() {
        return keySize;
    }

    /** Size of one value as declared; for per-CPU maps the size of one CPU's slot. */
    public int valueSize() {
        return valueSize;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** BPF_F_* map creation flags. */
    public int flags() {
        return flags;
    }

    public MapSpec spec() {
        return new MapSpec(type, keySize, valueSize, maxEntries, flags);
    }

    /** Bytes a lookup returns: {@link #valueSize()}, or all CPU slots for a per-CPU map. */
    public int valueBufferSize() {
        return type.isPerCpu() ? Libbpf.possibleCpus() * perCpuStride() : valueSize;
    }

    public void update(byte[] key, byte[] value, UpdateFlag flag) {
        checkKey(key);
        checkLength("value", value, valueBufferSize());
        int rc = NativeLibraries.bpf().bpf_map_update_elem(fd(), key, value, flag.bits);
        if (rc < 0) {
            throw Checked.errno("update (" + flag + ") of map " + name, -rc);
        }
    }

    public void update(ByteBuffer key, ByteBuffer value, UpdateFlag flag) {
        update(remaining(key), remaining(value), flag);
    }

    /** The value under {@code key}, or empty when there is none. */
    public Optional<byte[]> lookup(byte[] key) {
        checkKey(key);
        byte[] value = new byte[valueBufferSize()];
        int rc = NativeLibraries.bpf().bpf_map_lookup_elem(fd(), key, value);
        if (rc == -Errno.ENOENT) {
            return Optional.empty();
        }
        if (rc < 0) {
            throw Checked.errno("lookup in map " + name, -rc);
        }
        return Optional.of(value);
    }

    /** Like {@link #lookup(byte[])}, the value as a little-endian heap buffer. */
    public Optional<ByteBuffer> lookup(ByteBuffer key) {
        return lookup(remaining(key)).map(v -> ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Deletes {@code key}; false when it was not there. Array maps refuse deletion (EINVAL). */
    public boolean delete(byte[] key) {
        checkKey(key);
        int rc = NativeLibraries.bpf().bpf_map_delete_elem(fd(), key);
        if (rc == -Errno.ENOENT) {
            return false;
        }
        if (rc < 0) {
            throw Checked.errno("delete from map " + name, -rc);
        }
        return true;
    }

    public boolean delete(ByteBuffer key) {
        return delete(remaining(key));
    }

    /**
     * The keys, walked lazily with bpf_map_get_next_key. The kernel gives no snapshot: keys added or
     * removed during the walk may or may not be seen, and deleting the current key of a hash map
     * restarts the walk from the first key.
     */
    public Iterable<byte[]> keys() {
        return () -> new Iterator<>() {
            private byte[] current;
            private byte[] next = nextKey(null);

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public byte[] next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                current = next;
                next = nextKey(current);
                return current.clone();
            }
        };
    }

    private byte[] nextKey(byte[] key) {
        byte[] next = new byte[keySize];
        int rc = NativeLibraries.bpf().bpf_map_get_next_key(fd(), key, next);
        if (rc == -Errno.ENOENT) {
            return null;
        }
        if (rc < 0) {
            throw Checked.errno("iterate keys of map " + name, -rc);
        }
        return next;
    }

    /**
     * Every entry, read in chunks with bpf_map_lookup_batch; where the kernel has no batch lookup
     * for the map type, key by key instead. Values are as {@link #lookup(byte[])} returns them. Like
     * {@link #keys()}, not a snapshot of a map that changes meanwhile.
     */
    public List<Entry> lookupBatch() {
        return lookupBatch(Math.min(BATCH_CHUNK, maxEntries));
    }

    /** Like {@link #lookupBatch()}, asking the kernel for {@code chunkSize} entries per call. */
    public List<Entry> lookupBatch(int chunkSize) {
        LibBpfNative lib = NativeLibraries.bpf();
        int valueBytes = valueBufferSize();
        int chunk = Math.max(1, chunkSize);
        // The batch token is opaque (a bucket or index); the kernel copies at most key_size bytes.
        int tokenSize = Math.max(keySize, 8);
        Memory in = null;
        Memory out = new Memory(tokenSize);
        BpfMapBatchOpts opts = new BpfMapBatchOpts();
        List<Entry> entries = new ArrayList<>();
        while (true) {
            Memory keys = new Memory((long) chunk * keySize);
            Memory values = new Memory((long) chunk * valueBytes);
            IntByReference count = new IntByReference(chunk);
            int rc = lib.bpf_map_lookup_batch(fd(), in, out, keys, values, count, opts);
            int errno = rc < 0 ? -rc : 0;
            if (errno != 0 && errno != Errno.ENOENT) {
                if (in == null && entries.isEmpty() && batchUnsupported(errno)) {
                    return lookupByIteration();
                }
                if (errno == Errno.ENOSPC && chunk < Integer.MAX_VALUE / 2) {
                    chunk *= 2; // one hash bucket holds more entries than the chunk
                    continue;
                }
                throw Checked.errno("batch lookup in map " + name, errno);
            }
            // Two native reads per chunk, not two per entry: a full array map is 10^4-10^5 entries.
            int n = count.getValue();
            byte[] allKeys = keys.getByteArray(0, n * keySize);
            byte[] allValues = values.getByteArray(0, n * valueBytes);
            for (int i = 0; i < n; i++) {
                entries.add(new Entry(Arrays.copyOfRange(allKeys, i * keySize, (i + 1) * keySize),
                        Arrays.copyOfRange(allValues, i * valueBytes, (i + 1) * valueBytes)));
            }
            if (errno == Errno.ENOENT) {
                return entries;
            }
            Memory consumed = in != null ? in : new Memory(tokenSize);
            in = out;
            out = consumed;
        }
    }

    private static boolean batchUnsupported(int errno) {
        return errno == Errno.ENOTSUPP || errno == Errno.EOPNOTSUPP || errno == Errno.EINVAL;
    }

    private List<Entry> lookupByIteration() {
        List<Entry> entries = new ArrayList<>();
        for (byte[] key : keys()) {
            lookup(key).ifPresent(value -> entries.add(new Entry(key, value)));
        }
        return entries;
    }

    /** One value per possible CPU ({@link #valueSize()} bytes each), or an empty list when the key is absent. */
    public List<byte[]> lookupPerCpu(byte[] key) {
        checkPerCpu();
        Optional<byte[]> all = lookup(key);
        if (all.isEmpty()) {
            return List.of();
        }
        int stride = perCpuStride();
        int cpus = Libbpf.possibleCpus();
        List<byte[]> slots = new ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            byte[] slot = new byte[valueSize];
            System.arraycopy(all.get(), cpu * stride, slot, 0, valueSize);
            slots.add(slot);
        }
        return slots;
    }

    /** Writes one value per possible CPU. */
    public void updatePerCpu(byte[] key, List<byte[]> values, UpdateFlag flag) {
        checkPerCpu();
        int cpus = Libbpf.possibleCpus();
        if (values.size() != cpus) {
            throw new IllegalArgumentException("map " + name + ": " + values.size() + " values for " + cpus
                    + " possible CPUs");
        }
        int stride = perCpuStride();
        byte[] all = new byte[cpus * stride];
        for (int cpu = 0; cpu < cpus; cpu++) {
            byte[] slot = values.get(cpu);
            checkLength("value of CPU " + cpu, slot, valueSize);
            System.arraycopy(slot, 0, all, cpu * stride, valueSize);
        }
        update(key, all, flag);
    }

    /** Pins the map at {@code path}, which must lie on a bpffs. */
    public void pin(Path path) {
        int rc = NativeLibraries.bpf().bpf_obj_pin(fd(), path.toString());
        if (rc < 0) {
            throw Checked.errno("pin map " + name + " at " + path, -rc);
        }
    }

    /** Removes the pin at {@code path}; false when there was none. The map lives on while anyone holds it. */
    public boolean unpin(Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("unpin map " + name + " at " + path, e);
        }
    }

    /** Closes the descriptor of a map opened with {@link #fromPinned}; a map of a {@link BpfObject} closes with it. */
    @Override
    public void close() {
        if (owner == null && !closed) {
            closed = true;
            NativeLibraries.c().close(fd);
        }
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + " " + type + " key " + keySize + " value " + valueSize + " max " + maxEntries + "]";
    }

    private int perCpuStride() {
        return (valueSize + 7) & ~7;
    }

    private void checkPerCpu() {
        if (!type.isPerCpu()) {
            throw new UnsupportedOperationException("map " + name + " (" + type + ") is not per-CPU");
        }
    }

    private void checkKey(byte[] key) {
        checkLength("key", key, keySize);
    }

    private void checkLength(String what, byte[] bytes, int expected) {
        if (bytes.length != expected) {
            throw new IllegalArgumentException("map " + name + ": " + what + " of " + bytes.length
                    + " bytes, expected " + expected);
        }
    }

    private static byte[] remaining(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
