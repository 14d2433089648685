package io.xdpgate.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.xdpgate.datapath.bpf.Btf;
import io.xdpgate.datapath.bpf.BtfEnum;
import io.xdpgate.datapath.bpf.BtfMember;
import io.xdpgate.datapath.bpf.BtfStruct;
import io.xdpgate.datapath.testing.TestObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Java mirror against the BTF of the compiled packet processor (bpf/build/xdpgate.bpf.o):
 * every struct's size and fields (name, offset, size, array length, C type), every enum's
 * enumerators. Needs libbpf to read BTF, not the kernel.
 */
class AbiLayoutTest {
    private static final Pattern HEADER_TYPE = Pattern.compile("^(struct|enum)\\s+(xg_\\w+)\\s*\\{", Pattern.MULTILINE);

    private static Btf btf;

    @BeforeAll
    static void parse() {
        btf = Btf.parse(TestObjects.xdpgate());
    }

    @AfterAll
    static void close() {
        if (btf != null) {
            btf.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyStructMatchesItsBtf() {
        return AbiCatalog.STRUCTS.stream().map(layout -> DynamicTest.dynamicTest("struct " + layout.cName(),
                () -> compare(layout, btf.struct(layout.cName()).orElseThrow(() -> new AssertionError(
                        "struct " + layout.cName() + " is not in the BTF of " + TestObjects.xdpgate()
                                + ": the object's ABI anchor must reference it")))));
    }

    @TestFactory
    Stream<DynamicTest> everyEnumMatchesItsBtf() {
        return AbiCatalog.ENUMS.stream().map(mirror -> DynamicTest.dynamicTest("enum " + mirror.cName(), () -> {
            BtfEnum c = btf.enumeration(mirror.cName()).orElseThrow(() -> new AssertionError(
                    "enum " + mirror.cName() + " is not in the BTF of " + TestObjects.xdpgate()));
            List<EnumMirror.Entry> fromC = c.values().stream()
                    .map(v -> new EnumMirror.Entry(v.name(), v.value())).toList();
            assertEquals(fromC, mirror.entries(), "enum " + mirror.cName() + ": C enumerators vs Java mirror");
        }));
    }

    @Test
    void theCatalogCoversEveryStructAndEnumOfTheHeader() throws IOException {
        String header = Files.readString(TestObjects.abiIncludeDir().resolve("xdpgate_abi.h"));
        Set<String> inHeader = new TreeSet<>();
        Matcher m = HEADER_TYPE.matcher(header);
        while (m.find()) {
            inHeader.add(m.group(1) + " " + m.group(2));
        }
        Set<String> mirrored = new TreeSet<>();
        AbiCatalog.STRUCTS.forEach(l -> mirrored.add("struct " + l.cName()));
        AbiCatalog.ENUMS.forEach(e -> mirrored.add("enum " + e.cName()));
        assertEquals(inHeader, mirrored, "types of xdpgate_abi.h vs AbiCatalog");
    }

    private static void compare(Layout java, BtfStruct c) {
        String struct = "struct " + java.cName();
        assertEquals(c.members().stream().map(BtfMember::name).toList(),
                java.fields().stream().map(Layout.Field::name).toList(), struct + ": field names and order");
        for (int i = 0; i < c.members().size(); i++) {
            BtfMember cField = c.members().get(i);
            Layout.Field jField = java.fields().get(i);
            String where = struct + " field " + cField.name();
            assertEquals(0, cField.bitfieldSize(), where + ": bitfields are not allowed in the ABI");
            assertEquals(cField.byteOffset(), jField.offset(), where + ": offset");
            assertEquals(cField.size(), jField.size(), where + ": size");
            assertEquals(cField.dims(), jField.isArray() ? List.of(jField.count()) : List.of(), where + ": array length");
            assertEquals(cField.typeName(), cTypeOf(jField), where + ": C type (width, byte order)");
        }
        assertEquals(c.size(), java.size(), struct + ": size");
    }

    /** The C type a field of this kind must be declared with. */
    private static String cTypeOf(Layout.Field f) {
        return switch (f.kind()) {
            case U8, BYTES, PAD -> "__u8";
            case U16 -> "__u16";
            case U32, U32_ARRAY -> "__u32";
            case U64, U64_ARRAY -> "__u64";
            case BE16 -> "__be16";
            case BE32 -> "__be32";
            case STRUCT -> f.nested().cName();
        };
    }

    @Test
    void everyNestedStructIsItselfInTheCatalog() {
        Set<String> catalog = AbiCatalog.STRUCTS.stream().map(Layout::cName).collect(Collectors.toSet());
        for (Layout l : AbiCatalog.STRUCTS) {
            for (Layout.Field f : l.fields()) {
                if (f.nested() != null && !catalog.contains(f.nested().cName())) {
                    fail("struct " + l.cName() + " field " + f.name() + " nests " + f.nested().cName()
                            + ", which AbiCatalog does not list");
                }
            }
        }
    }

    @Test
    void theObjectUnderTestIsTheBuiltOne() {
        Path object = TestObjects.xdpgate();
        assertEquals("xdpgate.bpf.o", object.getFileName().toString());
    }
}
