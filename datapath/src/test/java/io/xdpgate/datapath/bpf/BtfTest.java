package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.TestObjects;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads the BTF of the binding fixture; needs libbpf but not the kernel. */
class BtfTest {
    @Test
    void structMembersHaveOffsetsSizesTypeNamesAndDims() {
        try (Btf btf = Btf.parse(TestObjects.bindingTest())) {
            BtfStruct probe = btf.struct("binding_btf_probe").orElseThrow();
            assertFalse(probe.union());
            assertEquals(36, probe.size());
            assertEquals(List.of(
                    new BtfMember("id", 0, 0, 4, "__u32", List.of()),
                    new BtfMember("port", 32, 0, 2, "__be16", List.of()),
                    new BtfMember("bytes", 48, 0, 6, "__u8", List.of(6)),
                    new BtfMember("grid", 96, 0, 12, "__u16", List.of(2, 3)),
                    new BtfMember("record", 192, 0, 8, "binding_record", List.of()),
                    new BtfMember("colour", 256, 0, 4, "binding_colour", List.of())),
                    probe.members());
            assertEquals(24, probe.member("record").orElseThrow().byteOffset());
        }
    }

    @Test
    void enumsListTheirEnumeratorsInOrder() {
        try (Btf btf = Btf.parse(TestObjects.bindingTest())) {
            BtfEnum colour = btf.enumeration("binding_colour").orElseThrow();
            assertEquals(4, colour.size());
            assertEquals(List.of(new BtfEnum.Value("BINDING_RED", 1), new BtfEnum.Value("BINDING_GREEN", 2),
                    new BtfEnum.Value("BINDING_BLUE", 4)), colour.values());
        }
    }

    @Test
    void unknownNamesAreEmpty() {
        try (Btf btf = Btf.parse(TestObjects.bindingTest())) {
            assertTrue(btf.struct("no_such_struct").isEmpty());
            assertTrue(btf.enumeration("no_such_enum").isEmpty());
            assertTrue(btf.enumeration("binding_record").isEmpty(), "a struct is not an enum");
        }
    }

    @Test
    void aFileWithoutBtfFails() {
        BpfException e = assertThrows(BpfException.class, () -> Btf.parse(Path.of("/nonexistent.o")));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void aClosedBtfRefusesUse() {
        Btf btf = Btf.parse(TestObjects.bindingTest());
        btf.close();
        assertThrows(IllegalStateException.class, () -> btf.struct("binding_record"));
    }
}
