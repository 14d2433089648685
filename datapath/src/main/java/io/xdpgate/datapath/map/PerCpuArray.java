package io.xdpgate.datapath.map;

import io.xdpgate.abi.Codec;
import io.xdpgate.abi.Codecs;

import io.xdpgate.datapath.bpf.BpfMap;
import io.xdpgate.datapath.bpf.BpfMapType;
import io.xdpgate.datapath.bpf.Libbpf;
import io.xdpgate.datapath.bpf.UpdateFlag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A BPF_MAP_TYPE_PERCPU_ARRAY: every index holds one value per possible CPU. */
public final class PerCpuArray<V> {
    private final BpfMap map;
    private final Codec<V> valueCodec;

    public PerCpuArray(BpfMap map, Codec<V> valueCodec) {
        if (map.type() != BpfMapType.PERCPU_ARRAY) {
            throw new IllegalArgumentException("map " + map.name() + " is " + map.type() + ", not PERCPU_ARRAY");
        }
        if (valueCodec.size() != map.valueSize()) {
            throw new IllegalArgumentException("map " + map.name() + " has values of " + map.valueSize()
                    + " bytes, the codec " + valueCodec.size());
        }
        this.map = map;
        this.valueCodec = valueCodec;
    }

    public BpfMap map() {
        return map;
    }

    public int length() {
        return map.maxEntries();
    }

    /** One value per possible CPU, CPU 0 first. */
    public List<V> get(int index) {
        List<V> values = new ArrayList<>();
        for (byte[] slot : slots(index)) {
            values.add(valueCodec.fromBytes(slot));
        }
        return values;
    }

    /** Writes one value per possible CPU. */
    public void set(int index, List<V> perCpu) {
        List<byte[]> slots = new ArrayList<>(perCpu.size());
        for (V value : perCpu) {
            slots.add(valueCodec.toBytes(value));
        }
        map.updatePerCpu(key(index), slots, UpdateFlag.ANY);
    }

    /** Writes the same value on every CPU, e.g. zero to reset counters. */
    public void setAll(int index, V value) {
        set(index, Collections.nCopies(Libbpf.possibleCpus(), value));
    }

    /** Sum over CPUs of a {@code __u64} value (wrapping like the kernel's counters). */
    public long sumLong(int index) {
        if (map.valueSize() != Long.BYTES) {
            throw new IllegalStateException("map " + map.name() + " values are " + map.valueSize() + " bytes, not a u64");
        }
        return sumWords(index)[0];
    }

    /** Element-wise sum over CPUs of a value made of {@code __u64} counters (e.g. a counter array struct). */
    public long[] sumWords(int index) {
        if (map.valueSize() % Long.BYTES != 0) {
            throw new IllegalStateException("map " + map.name() + " values (" + map.valueSize()
                    + " bytes) are not made of u64 words");
        }
        long[] sums = new long[map.valueSize() / Long.BYTES];
        for (byte[] slot : slots(index)) {
            ByteBuffer words = ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < sums.length; i++) {
                sums[i] += words.getLong();
            }
        }
        return sums;
    }

    private List<byte[]> slots(int index) {
        List<byte[]> slots = map.lookupPerCpu(key(index));
        if (slots.isEmpty()) {
            throw new IndexOutOfBoundsException("index " + index + " of per-CPU array " + map.name() + " of "
                    + length());
        }
        return slots;
    }

    private static byte[] key(int index) {
        return Codecs.U32.toBytes(index);
    }
}
