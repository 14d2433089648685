package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import static io.xdpgate.datapath.bpf.BindingFixture.u32;
import static io.xdpgate.datapath.bpf.BindingFixture.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestObjects;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class BpfMapTest {
    private BpfObject obj;
    private BpfMap hash;

    @BeforeEach
    void load() {
        obj = BpfObject.open(TestObjects.bindingTest()).load();
        hash = obj.map("hash_map");
    }

    @AfterEach
    void close() {
        obj.close();
    }

    @Test
    void updateLookupDelete() {
        assertTrue(hash.lookup(u32(1)).isEmpty());
        hash.update(u32(1), u64(100), UpdateFlag.ANY);
        assertArrayEquals(u64(100), hash.lookup(u32(1)).orElseThrow());
        hash.update(u32(1), u64(101), UpdateFlag.ANY);
        assertArrayEquals(u64(101), hash.lookup(u32(1)).orElseThrow());
        assertTrue(hash.delete(u32(1)));
        assertTrue(hash.lookup(u32(1)).isEmpty());
        assertFalse(hash.delete(u32(1)), "deleting a missing key");
    }

    @Test
    void byteBufferVariantsReadAndWriteTheSameEntries() {
        ByteBuffer key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 9);
        ByteBuffer value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        hash.update(key, value, UpdateFlag.NOEXIST);
        assertEquals(1L << 40, hash.lookup(key).orElseThrow().getLong(0));
        assertArrayEquals(u64(1L << 40), hash.lookup(u32(9)).orElseThrow());
        assertTrue(hash.delete(key));
    }

    @Test
    void noexistOnAnExistingKeyFailsWithEexist() {
        hash.update(u32(2), u64(1), UpdateFlag.NOEXIST);
        BpfException e = assertThrows(BpfException.class, () -> hash.update(u32(2), u64(2), UpdateFlag.NOEXIST));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("EEXIST", e.errnoName());
        assertTrue(e.getMessage().contains("EEXIST") && e.getMessage().contains("hash_map"), e.getMessage());
        assertArrayEquals(u64(1), hash.lookup(u32(2)).orElseThrow(), "value unchanged");
    }

    @Test
    void existOnAMissingKeyFailsWithEnoent() {
        BpfException e = assertThrows(BpfException.class, () -> hash.update(u32(3), u64(1), UpdateFlag.EXIST));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(hash.lookup(u32(3)).isEmpty());
    }

    @Test
    void wrongSizesAreRefusedBeforeTheKernelSeesThem() {
        assertThrows(IllegalArgumentException.class, () -> hash.lookup(new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> hash.update(u32(1), new byte[4], UpdateFlag.ANY));
    }

    @Test
    void keysWalksEveryKey() {
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            hash.update(u32(i * 3), u64(i), UpdateFlag.ANY);
            expected.add(i * 3);
        }
        Set<Integer> seen = new HashSet<>();
        for (byte[] key : hash.keys()) {
            seen.add(ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt());
        }
        assertEquals(expected, seen);
    }

    @Test
    void lookupBatchReadsEveryEntryAcrossChunks() {
        Map<Integer, Long> expected = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            hash.update(u32(i), u64(i * 1000L), UpdateFlag.ANY);
            expected.put(i, i * 1000L);
        }
        assertEquals(expected, toMap(hash.lookupBatch(7)));
        assertEquals(expected, toMap(hash.lookupBatch()));
    }

    @Test
    void lookupBatchOfAnEmptyMapIsEmpty() {
        assertEquals(List.of(), hash.lookupBatch());
    }

    @Test
    void lookupBatchOfAnArrayReturnsEverySlot() {
        BpfMap array = obj.map("packet_count");
        array.update(u32(2), u64(5), UpdateFlag.ANY);
        Map<Integer, Long> slots = toMap(array.lookupBatch());
        assertEquals(Map.of(0, 0L, 1, 0L, 2, 5L, 3, 0L), slots);
    }

    @Test
    void lpmTrieFindsTheLongestPrefixAndListsEveryPrefix() {
        BpfMap lpm = obj.map("lpm_map");
        lpm.update(lpmKey(8, 10, 0, 0, 0), u32(1), UpdateFlag.ANY);
        lpm.update(lpmKey(16, 10, 1, 0, 0), u32(2), UpdateFlag.ANY);
        assertArrayEquals(u32(2), lpm.lookup(lpmKey(32, 10, 1, 2, 3)).orElseThrow());
        assertArrayEquals(u32(1), lpm.lookup(lpmKey(32, 10, 2, 2, 3)).orElseThrow());
        assertTrue(lpm.lookup(lpmKey(32, 11, 1, 2, 3)).isEmpty());
        List<BpfMap.Entry> entries = lpm.lookupBatch();
        assertEquals(2, entries.size());
    }

    @Test
    void perCpuValuesHaveOneSlotPerPossibleCpu() {
        BpfMap percpu = obj.map("percpu_count");
        int cpus = Libbpf.possibleCpus();
        assertTrue(cpus >= 1);
        assertEquals(cpus * 8, percpu.valueBufferSize());
        List<byte[]> values = new ArrayList<>();
        for (int cpu = 0; cpu < cpus; cpu++) {
            values.add(u64(cpu + 1));
        }
        percpu.updatePerCpu(u32(1), values, UpdateFlag.ANY);
        List<byte[]> read = percpu.lookupPerCpu(u32(1));
        assertEquals(cpus, read.size());
        for (int cpu = 0; cpu < cpus; cpu++) {
            assertArrayEquals(u64(cpu + 1), read.get(cpu), "cpu " + cpu);
        }
        assertThrows(IllegalArgumentException.class, () -> percpu.updatePerCpu(u32(1), List.of(), UpdateFlag.ANY));
        assertThrows(UnsupportedOperationException.class, () -> hash.lookupPerCpu(u32(1)));
    }

    @Test
    void pinFromPinnedAndUnpin() {
        try (PinDir pins = new PinDir()) {
            Path pin = pins.resolve("hash");
            hash.pin(pin);
            assertTrue(Files.exists(pin));
            hash.update(u32(5), u64(55), UpdateFlag.ANY);
            try (BpfMap pinned = BpfMap.fromPinned(pin)) {
                assertEquals("hash_map", pinned.name());
                assertEquals(BpfMapType.HASH, pinned.type());
                assertEquals(4, pinned.keySize());
                assertEquals(8, pinned.valueSize());
                assertEquals(1024, pinned.maxEntries());
                assertArrayEquals(u64(55), pinned.lookup(u32(5)).orElseThrow(), "same kernel map");
                pinned.update(u32(6), u64(66), UpdateFlag.ANY);
                assertArrayEquals(u64(66), hash.lookup(u32(6)).orElseThrow());
            }
            assertTrue(hash.unpin(pin));
            assertFalse(Files.exists(pin));
            assertFalse(hash.unpin(pin));
            BpfException gone = assertThrows(BpfException.class, () -> BpfMap.fromPinned(pin));
            assertEquals(Errno.ENOENT, gone.errno());
        }
    }

    @Test
    void aClosedPinnedMapRefusesUse() {
        try (PinDir pins = new PinDir()) {
            Path pin = pins.resolve("closed");
            hash.pin(pin);
            BpfMap pinned = BpfMap.fromPinned(pin);
            pinned.close();
            assertThrows(IllegalStateException.class, () -> pinned.lookup(u32(1)));
        }
    }

    private static byte[] lpmKey(int prefixlen, int a, int b, int c, int d) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(prefixlen)
                .put((byte) a).put((byte) b).put((byte) c).put((byte) d).array();
    }

    private static Map<Integer, Long> toMap(List<BpfMap.Entry> entries) {
        Map<Integer, Long> map = new HashMap<>();
        for (BpfMap.Entry e : entries) {
            map.put(ByteBuffer.wrap(e.key()).order(ByteOrder.LITTLE_ENDIAN).getInt(),
                    ByteBuffer.wrap(e.value()).order(ByteOrder.LITTLE_ENDIAN).getLong());
        }
        assertEquals(entries.size(), map.size(), "no key twice");
        return map;
    }
}
