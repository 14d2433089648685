package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@KernelTest
class BpfObjectTest {
    private static final byte[] KEY_7 = {7, 0, 0, 0};
    private static final byte[] VALUE_42 = {42, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void opensLoadsAndFindsProgramsAndMaps() {
        try (BpfObject obj = BpfObject.open(TestObjects.bindingTest())) {
            assertEquals("binding_test", obj.name());
            assertTrue(obj.programNames().containsAll(List.of("binding_xdp", "binding_tc")));
            assertTrue(obj.mapNames().containsAll(List.of("packet_count", "hash_map", "records")));
            assertFalse(obj.isLoaded());

            obj.load();

            BpfProgram xdp = obj.program("binding_xdp");
            assertTrue(xdp.fd() > 0);
            assertTrue(xdp.isXdp());
            assertEquals("xdp", xdp.sectionName());
            assertTrue(xdp.id() > 0);
            assertFalse(obj.program("binding_tc").isXdp());

            BpfMap hash = obj.map("hash_map");
            assertEquals(BpfMapType.HASH, hash.type());
            assertEquals(4, hash.keySize());
            assertEquals(8, hash.valueSize());
            assertEquals(1024, hash.maxEntries());
            assertEquals(BpfMapType.PERCPU_ARRAY, obj.map("percpu_count").type());
            assertEquals(BpfMapType.RINGBUF, obj.map("records").type());
            BpfMap lpm = obj.map("lpm_map");
            assertEquals(BpfMapType.LPM_TRIE, lpm.type());
            assertEquals(1, lpm.flags() & 1, "BPF_F_NO_PREALLOC");
        }
    }

    @Test
    void programsAndMapsNeedALoadedObject() {
        try (BpfObject obj = BpfObject.open(TestObjects.bindingTest())) {
            assertThrows(IllegalStateException.class, () -> obj.map("hash_map"));
            assertThrows(IllegalStateException.class, () -> obj.program("binding_xdp"));
            obj.load();
            assertThrows(IllegalStateException.class, obj::load);
            assertThrows(IllegalStateException.class, () -> obj.setMaxEntries("hash_map", 5));
        }
    }

    @Test
    void unknownNamesAreRejectedWithTheKnownOnes() {
        try (BpfObject obj = BpfObject.open(TestObjects.bindingTest()).load()) {
            IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> obj.program("nope"));
            assertTrue(p.getMessage().contains("binding_xdp"), p.getMessage());
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> obj.map("nope"));
            assertTrue(m.getMessage().contains("hash_map"), m.getMessage());
        }
    }

    @Test
    void verifierRejectionCarriesTheVerifierLogAndErrno() {
        try (BpfObject obj = BpfObject.open(TestObjects.bindingInvalid())) {
            BpfException e = assertThrows(BpfException.class, obj::load);
            assertEquals(Errno.EACCES, e.errno());
            assertEquals("EACCES", e.errnoName());
            assertTrue(e.getMessage().contains("EACCES"), e.getMessage());
            assertTrue(e.getMessage().contains("invalid access to packet"), e.getMessage());
            assertTrue(e.libbpfLog().stream().anyMatch(l -> l.contains("invalid access to packet")), e.getMessage());
        }
    }

    @Test
    void openingAMissingFileFailsWithEnoent() {
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.open(Path.of("/nonexistent/x.bpf.o")));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("/nonexistent/x.bpf.o"), e.getMessage());
    }

    @Test
    void closingTheObjectInvalidatesItsMapsAndPrograms() {
        BpfObject obj = BpfObject.open(TestObjects.bindingTest()).load();
        BpfMap map = obj.map("hash_map");
        BpfProgram prog = obj.program("binding_xdp");
        obj.close();
        assertThrows(IllegalStateException.class, map::fd);
        assertThrows(IllegalStateException.class, prog::fd);
        obj.close(); // idempotent
    }

    @Test
    void maxEntriesSetBeforeLoadSizesTheKernelMap() {
        try (PinDir pins = new PinDir();
             BpfObject obj = BpfObject.open(TestObjects.bindingTest()).setMaxEntries("hash_map", 77).load()) {
            assertEquals(77, obj.map("hash_map").maxEntries());
            Path pin = pins.resolve("sized");
            obj.map("hash_map").pin(pin);
            try (BpfMap pinned = BpfMap.fromPinned(pin)) {
                assertEquals(77, pinned.maxEntries(), "the kernel's view");
            }
        }
    }

    @Test
    void pinPathMakesLoadPinAndLaterLoadsReuse() {
        try (PinDir pins = new PinDir()) {
            Path pin = pins.resolve("hash_map");
            try (BpfObject first = BpfObject.open(TestObjects.bindingTest()).setPinPath("hash_map", pin).load()) {
                assertTrue(Files.exists(pin));
                first.map("hash_map").update(KEY_7, VALUE_42, UpdateFlag.ANY);
            }
            try (BpfObject second = BpfObject.open(TestObjects.bindingTest()).setPinPath("hash_map", pin).load()) {
                assertEquals(42, second.map("hash_map").lookup(KEY_7).orElseThrow()[0], "survived the first object");
            }
        }
    }

    @Test
    void reusePinnedMapSharesTheMapWithAnotherObject() {
        try (PinDir pins = new PinDir();
             BpfObject owner = BpfObject.open(TestObjects.bindingTest()).load()) {
            Path pin = pins.resolve("shared");
            owner.map("hash_map").pin(pin);
            try (BpfObject reuser = BpfObject.open(TestObjects.bindingTest()).reusePinnedMap("hash_map", pin).load()) {
                owner.map("hash_map").update(KEY_7, VALUE_42, UpdateFlag.ANY);
                assertEquals(42, reuser.map("hash_map").lookup(KEY_7).orElseThrow()[0]);
            }
        }
    }

    @Test
    void pinMapsPinsEveryMapByNameAndUnpinMapsRemovesThem() {
        try (PinDir pins = new PinDir();
             BpfObject obj = BpfObject.open(TestObjects.bindingTest()).load()) {
            Path dir = pins.resolve("all");
            obj.pinMaps(dir);
            for (String name : List.of("packet_count", "percpu_count", "hash_map", "lpm_map", "records")) {
                assertTrue(Files.exists(dir.resolve(name)), name + " pinned");
            }
            obj.unpinMaps(dir);
            assertFalse(Files.exists(dir.resolve("hash_map")));
        }
    }
}
