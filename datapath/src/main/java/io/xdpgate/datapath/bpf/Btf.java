package io.xdpgate.datapath.bpf;

import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_ARRAY;
import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_CONST;
import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_ENUM;
import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_ENUM64;
import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_RESTRICT;
import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_STRUCT;
import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_TYPEDEF;
import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_TYPE_TAG;
import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_UNION;
import static io.xdpgate.datapath.jna.LibBpfNative.BTF_KIND_VOLATILE;

import com.sun.jna.Pointer;
import io.xdpgate.datapath.jna.LibBpfNative;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The BTF type information of an object file (its .BTF section) or a raw BTF file. Reads
 * libbpf's in-memory {@code struct btf_type} records directly: a 12-byte header
 * {name_off, info, size|type} followed by kind-specific entries (linux/btf.h).
 */
public final class Btf implements AutoCloseable {
    private static final int TYPE_HEADER = 12;
    private static final int MEMBER_SIZE = 12;
    private static final int ENUM_SIZE = 8;
    private static final int ENUM64_SIZE = 12;

    private final LibBpfNative lib;
    private final Path path;
    private Pointer btf;
    /** False for an object's BTF, which libbpf frees with the object. */
    private boolean owned = true;

    private Btf(Path path, Pointer btf) {
        this.lib = NativeLibraries.bpf();
        this.path = path;
        this.btf = btf;
    }

    /**
     * The BTF of an opened object, as libbpf fixed it up (data section offsets filled in from the
     * ELF symbols); the object owns it, so closing this view frees nothing.
     */
    static Btf ofObject(Path path, Pointer btf) {
        Btf view = new Btf(path, btf);
        view.owned = false;
        return view;
    }

    /** Parses the BTF of an ELF object or a raw BTF file. Needs libbpf, not the kernel. */
    public static Btf parse(Path file) {
        LibBpfNative lib = NativeLibraries.bpf();
        return new Btf(file, Checked.pointer("parse BTF of " + file, () -> lib.btf__parse(file.toString(), null)));
    }

    /** A global variable of a data section: where it sits in the section's map value, and its size. */
    public record Variable(String name, int offset, int size) {
    }

    /** The variables of a data section such as ".rodata" (where {@code const volatile} globals live). */
    public Map<String, Variable> sectionVariables(String section) {
        int id = lib.btf__find_by_name_kind(handle(), section, LibBpfNative.BTF_KIND_DATASEC);
        Map<String, Variable> out = new LinkedHashMap<>();
        if (id < 0) {
            return out;
        }
        Pointer t = type(id);
        int n = vlen(t.getInt(4));
        for (int i = 0; i < n; i++) {
            int base = TYPE_HEADER + i * 12; // struct btf_var_secinfo { type, offset, size }
            Pointer var = type(t.getInt(base));
            String name = name(var.getInt(0));
            out.put(name, new Variable(name, t.getInt(base + 4), t.getInt(base + 8)));
        }
        return out;
    }

    /** The struct (or, failing that, union) of that name. */
    public Optional<BtfStruct> struct(String name) {
        int id = lib.btf__find_by_name_kind(handle(), name, BTF_KIND_STRUCT);
        if (id < 0) {
            id = lib.btf__find_by_name_kind(handle(), name, BTF_KIND_UNION);
        }
        return id < 0 ? Optional.empty() : Optional.of(readStruct(id));
    }

    /** The enum (32- or 64-bit) of that name. */
    public Optional<BtfEnum> enumeration(String name) {
        int id = lib.btf__find_by_name_kind(handle(), name, BTF_KIND_ENUM);
        if (id < 0) {
            id = lib.btf__find_by_name_kind(handle(), name, BTF_KIND_ENUM64);
        }
        return id < 0 ? Optional.empty() : Optional.of(readEnum(id));
    }

    @Override
    public void close() {
        if (btf != null && owned) {
            lib.btf__free(btf);
        }
        btf = null;
    }

    private BtfStruct readStruct(int id) {
        Pointer t = type(id);
        int info = t.getInt(4);
        boolean bitfieldOffsets = kindFlag(info);
        List<BtfMember> members = new ArrayList<>(vlen(info));
        for (int i = 0; i < vlen(info); i++) {
            Pointer m = t.share(TYPE_HEADER + (long) i * MEMBER_SIZE);
            int memberType = m.getInt(4);
            long offset = Integer.toUnsignedLong(m.getInt(8));
            long bitOffset = bitfieldOffsets ? offset & 0xffffff : offset;
            int bitfieldSize = bitfieldOffsets ? (int) (offset >>> 24) : 0;
            long size = lib.btf__resolve_size(handle(), memberType);
            if (size < 0) {
                throw Checked.errno("resolve size of member " + name(m.getInt(0)) + " of " + name(t.getInt(0)), (int) -size);
            }
            members.add(new BtfMember(name(m.getInt(0)), bitOffset, bitfieldSize, size, declaredName(memberType),
                    dims(memberType)));
        }
        return new BtfStruct(name(t.getInt(0)), kind(info) == BTF_KIND_UNION, Integer.toUnsignedLong(t.getInt(8)),
                List.copyOf(members));
    }

    private BtfEnum readEnum(int id) {
        Pointer t = type(id);
        int info = t.getInt(4);
        boolean signed = kindFlag(info);
        boolean wide = kind(info) == BTF_KIND_ENUM64;
        List<BtfEnum.Value> values = new ArrayList<>(vlen(info));
        for (int i = 0; i < vlen(info); i++) {
            Pointer e = t.share(TYPE_HEADER + (long) i * (wide ? ENUM64_SIZE : ENUM_SIZE));
            long value;
            if (wide) {
                value = (long) e.getInt(8) << 32 | Integer.toUnsignedLong(e.getInt(4));
            } else {
                value = signed ? e.getInt(4) : Integer.toUnsignedLong(e.getInt(4));
            }
            values.add(new BtfEnum.Value(name(e.getInt(0)), value));
        }
        return new BtfEnum(name(t.getInt(0)), Integer.toUnsignedLong(t.getInt(8)), List.copyOf(values));
    }

    /** Name of the first named type under arrays and qualifiers. */
    private String declaredName(int typeId) {
        int id = typeId;
        while (true) {
            Pointer t = type(id);
            int kind = kind(t.getInt(4));
            if (kind == BTF_KIND_ARRAY) {
                id = t.getInt(TYPE_HEADER);
            } else if (isQualifier(kind)) {
                id = t.getInt(8);
            } else {
                return name(t.getInt(0));
            }
        }
    }

    /** Array dimensions, looking through qualifiers and typedefs. */
    private List<Integer> dims(int typeId) {
        List<Integer> dims = new ArrayList<>();
        int id = typeId;
        while (true) {
            Pointer t = type(id);
            int kind = kind(t.getInt(4));
            if (kind == BTF_KIND_ARRAY) {
                dims.add(t.getInt(TYPE_HEADER + 8));
                id = t.getInt(TYPE_HEADER);
            } else if (isQualifier(kind) || kind == BTF_KIND_TYPEDEF) {
                id = t.getInt(8);
            } else {
                return List.copyOf(dims);
            }
        }
    }

    private Pointer type(int id) {
        return Checked.pointer("read BTF type " + id + " of " + path, () -> lib.btf__type_by_id(handle(), id));
    }

    private String name(int offset) {
        String name = lib.btf__name_by_offset(handle(), offset);
        return name == null ? "" : name;
    }

    private Pointer handle() {
        if (btf == null) {
            throw new IllegalStateException("BTF of " + path + " is closed");
        }
        return btf;
    }

    private static boolean isQualifier(int kind) {
        return kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_RESTRICT
                || kind == BTF_KIND_TYPE_TAG;
    }

    private static int kind(int info) {
        return (info >>> 24) & 0x1f;
    }

    private static int vlen(int info) {
        return info & 0xffff;
    }

    private static boolean kindFlag(int info) {
        return info < 0;
    }
}
