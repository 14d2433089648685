package io.xdpgate.datapath.map;

import io.xdpgate.abi.Codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestObjects;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class TypedMapTest {
    private BpfObject obj;
    private TypedMap<Integer, Long> hash;

    @BeforeEach
    void load() {
        obj = BpfObject.open(TestObjects.bindingTest()).load();
        hash = new TypedMap<>(obj.map("hash_map"), Codecs.U32, Codecs.U64);
    }

    @AfterEach
    void close() {
        obj.close();
    }

    @Test
    void putGetRemove() {
        assertEquals(Optional.empty(), hash.get(1));
        hash.put(1, 10L);
        assertEquals(Optional.of(10L), hash.get(1));
        hash.put(1, 11L);
        assertEquals(Optional.of(11L), hash.get(1));
        assertTrue(hash.remove(1));
        assertFalse(hash.remove(1));
    }

    @Test
    void putIfAbsentAndReplaceReportWhetherTheyWrote() {
        assertTrue(hash.putIfAbsent(2, 20L));
        assertFalse(hash.putIfAbsent(2, 21L));
        assertEquals(Optional.of(20L), hash.get(2));
        assertTrue(hash.replace(2, 22L));
        assertEquals(Optional.of(22L), hash.get(2));
        assertFalse(hash.replace(3, 30L));
        assertEquals(Optional.empty(), hash.get(3));
    }

    @Test
    void entriesKeysAndClear() {
        Map<Integer, Long> expected = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            hash.put(i, -i * 7L);
            expected.put(i, -i * 7L);
        }
        Map<Integer, Long> read = new HashMap<>();
        hash.entries().forEach(e -> read.put(e.key(), e.value()));
        assertEquals(expected, read);
        assertEquals(expected.keySet(), new HashSet<>(hash.keys()));
        hash.clear();
        assertEquals(List.of(), hash.entries());
    }

    @Test
    void clearingAnArrayZeroesEverySlot() {
        TypedMap<Integer, Long> array = new TypedMap<>(obj.map("packet_count"), Codecs.U32, Codecs.U64);
        array.put(1, 5L);
        array.put(3, 7L);
        array.clear();
        for (int i = 0; i < 4; i++) {
            assertEquals(Optional.of(0L), array.get(i));
        }
    }

    @Test
    void codecsMustMatchTheMap() {
        assertThrows(IllegalArgumentException.class, () -> new TypedMap<>(obj.map("hash_map"), Codecs.U64, Codecs.U64));
        assertThrows(IllegalArgumentException.class,
                () -> new TypedMap<>(obj.map("percpu_count"), Codecs.U32, Codecs.U64));
    }
}
