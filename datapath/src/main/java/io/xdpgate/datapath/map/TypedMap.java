package io.xdpgate.datapath.map;

import io.xdpgate.abi.Codec;
import io.xdpgate.abi.Codecs;

import io.xdpgate.datapath.bpf.BpfException;
import io.xdpgate.datapath.bpf.BpfMap;
import io.xdpgate.abi.Errno;
import io.xdpgate.datapath.bpf.UpdateFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A hash, LRU, LPM-trie or array map with typed keys and values. Operations go straight to the
 * kernel (no caching), so the BPF program's writes are visible at once. Not for per-CPU maps
 * (see {@link PerCpuArray}).
 */
public final class TypedMap<K, V> {
    /** One key and value. */
    public record Entry<K, V>(K key, V value) {
    }

    private final BpfMap map;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;

    public TypedMap(BpfMap map, Codec<K> keyCodec, Codec<V> valueCodec) {
        if (map.type().isPerCpu()) {
            throw new IllegalArgumentException("map " + map.name() + " is per-CPU; use PerCpuArray");
        }
        if (keyCodec.size() != map.keySize() || valueCodec.size() != map.valueSize()) {
            throw new IllegalArgumentException("map " + map.name() + " has key/value sizes " + map.keySize() + "/"
                    + map.valueSize() + ", codecs have " + keyCodec.size() + "/" + valueCodec.size());
        }
        this.map = map;
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
    }

    public BpfMap map() {
        return map;
    }

    public Optional<V> get(K key) {
        return map.lookup(keyCodec.toBytes(key)).map(valueCodec::fromBytes);
    }

    /** Creates or replaces. */
    public void put(K key, V value) {
        map.update(keyCodec.toBytes(key), valueCodec.toBytes(value), UpdateFlag.ANY);
    }

    /** Creates only; false (and nothing written) when the key exists. */
    public boolean putIfAbsent(K key, V value) {
        return updateUnless(key, value, UpdateFlag.NOEXIST, Errno.EEXIST);
    }

    /** Replaces only; false (and nothing written) when the key is absent. */
    public boolean replace(K key, V value) {
        return updateUnless(key, value, UpdateFlag.EXIST, Errno.ENOENT);
    }

    /** False when the key was absent. */
    public boolean remove(K key) {
        if (map.type().isArray()) {
            // the kernel answers a bare EINVAL, which once reached the API as a 500
            throw new UnsupportedOperationException("map " + map.name() + " is an array: its entries cannot be "
                    + "deleted, only overwritten (write the zero value instead)");
        }
        return map.delete(keyCodec.toBytes(key));
    }

    public List<K> keys() {
        List<K> keys = new ArrayList<>();
        for (byte[] key : map.keys()) {
            keys.add(keyCodec.fromBytes(key));
        }
        return keys;
    }

    /** Every entry, read in batches where the map type allows. */
    public List<Entry<K, V>> entries() {
        List<BpfMap.Entry> raw = map.lookupBatch();
        List<Entry<K, V>> entries = new ArrayList<>(raw.size());
        for (BpfMap.Entry e : raw) {
            entries.add(new Entry<>(keyCodec.fromBytes(e.key()), valueCodec.fromBytes(e.value())));
        }
        return entries;
    }

    /** Deletes every entry; an array map, whose slots cannot be deleted, gets every slot zeroed. */
    public void clear() {
        List<byte[]> keys = new ArrayList<>();
        map.keys().forEach(keys::add); // collect first: deleting while walking a hash restarts the walk
        byte[] zero = new byte[map.valueSize()];
        for (byte[] key : keys) {
            if (map.type().isArray()) {
                map.update(key, zero, UpdateFlag.ANY);
            } else {
                map.delete(key);
            }
        }
    }

    private boolean updateUnless(K key, V value, UpdateFlag flag, int refusal) {
        try {
            map.update(keyCodec.toBytes(key), valueCodec.toBytes(value), flag);
            return true;
        } catch (BpfException e) {
            if (e.errno() == refusal) {
                return false;
            }
            throw e;
        }
    }
}
