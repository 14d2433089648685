package io.xdpgate.datapath.bpf;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import io.xdpgate.datapath.jna.LibBpfNative;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BPF ELF object opened with libbpf. Configure maps by name between {@link #open} and
 * {@link #load}; take programs and maps after. Closing the object closes every program and map
 * descriptor it holds (pinned maps live on). Not thread-safe.
 */
public final class BpfObject implements AutoCloseable, FdOwner {
    private final Path path;
    private final LibBpfNative lib;
    private Pointer object;
    private boolean loaded;
    private final Map<String, BpfMap> maps = new HashMap<>();
    private final Map<String, BpfProgram> programs = new HashMap<>();

    private BpfObject(Path path, Pointer object) {
        this.path = path;
        this.lib = NativeLibraries.bpf();
        this.object = object;
    }

    /** Opens (parses, does not load) the object file. */
    public static BpfObject open(Path file) {
        LibBpfNative lib = NativeLibraries.bpf();
        Pointer object = Checked.pointer("open BPF object " + file,
                () -> lib.bpf_object__open_file(file.toString(), null));
        return new BpfObject(file, object);
    }

    public Path path() {
        return path;
    }

    /** The object's name as libbpf derives it (file name without extension). */
    public String name() {
        return lib.bpf_object__name(handle());
    }

    /** Sizes a map before load. */
    public BpfObject setMaxEntries(String map, int maxEntries) {
        Pointer m = configurableMap(map);
        Checked.call("set max_entries of map " + map + " to " + maxEntries,
                () -> lib.bpf_map__set_max_entries(m, maxEntries));
        return this;
    }

    /**
     * Gives a map a pin path before load: at load libbpf reuses the map pinned there when it is
     * compatible (and fails when it is not), or creates and pins it.
     */
    public BpfObject setPinPath(String map, Path pinPath) {
        Pointer m = configurableMap(map);
        Checked.call("set pin path of map " + map + " to " + pinPath,
                () -> lib.bpf_map__set_pin_path(m, pinPath.toString()));
        return this;
    }

    /** Makes the object use the map pinned at {@code pinned} instead of creating its own. */
    public BpfObject reusePinnedMap(String map, Path pinned) {
        Pointer m = configurableMap(map);
        int fd = lib.bpf_obj_get(pinned.toString());
        if (fd < 0) {
            throw Checked.errno("open pinned map " + pinned, -fd);
        }
        try {
            // libbpf duplicates the descriptor, so ours is closed either way.
            Checked.call("reuse pinned map " + pinned + " for map " + map, () -> lib.bpf_map__reuse_fd(m, fd));
        } finally {
            NativeLibraries.c().close(fd);
        }
        return this;
    }

    /**
     * Makes this object, before its load, run over the state of {@code loaded}: each of its maps
     * becomes the map of the same name there, and its load-time settings (.rodata) become a copy
     * of that object's. For two builds of one pipeline (the packet processor at XDP and at tc),
     * whose maps and settings are declared alike; a map or a settings layout that differs throws.
     */
    public BpfObject shareStateWith(BpfObject loaded) {
        ensureNotLoaded();
        loaded.ensureLoaded();
        for (String name : mapNames()) {
            if (name.contains(".")) { // libbpf's global-data maps: per object
                continue;
            }
            BpfMap theirs = loaded.map(name);
            MapSpec ours = mapSpec(name);
            if (ours.type() != theirs.type() || ours.keySize() != theirs.keySize()
                    || ours.valueSize() != theirs.valueSize()) {
                throw new IllegalArgumentException("map " + name + " of " + path + " is " + ours + ", in "
                        + loaded.path + " it is " + theirs);
            }
            Pointer m = configurableMap(name);
            Checked.call("reuse map " + name + " of " + loaded.path + " in " + path,
                    () -> lib.bpf_map__reuse_fd(m, theirs.fd()));
        }
        byte[] settings = loaded.readOnlyData();
        Pointer rodata = lib.bpf_object__find_map_by_name(handle(), ".rodata");
        LongByReference size = new LongByReference();
        Pointer data = rodata == null ? null : lib.bpf_map__initial_value(rodata, size);
        if (data == null || size.getValue() != settings.length) {
            throw new IllegalArgumentException(".rodata of " + path + " is not laid out as that of " + loaded.path);
        }
        data.write(0, settings, 0, settings.length);
        return this;
    }

    /** The contents of .rodata: the load-time settings as set (before load) or as loaded. */
    public byte[] readOnlyData() {
        Pointer rodata = lib.bpf_object__find_map_by_name(handle(), ".rodata");
        LongByReference size = new LongByReference();
        Pointer data = rodata == null ? null : lib.bpf_map__initial_value(rodata, size);
        if (data == null) {
            throw new IllegalStateException(path + " has no .rodata");
        }
        return data.getByteArray(0, (int) size.getValue());
    }

    /**
     * Sets a {@code const volatile} global (in .rodata) before load; the verifier then sees the
     * value as a constant and prunes what it switches off.
     */
    public BpfObject setReadOnlyGlobal(String name, byte[] value) {
        ensureNotLoaded();
        Btf.Variable var;
        Pointer objectBtf = lib.bpf_object__btf(handle());
        if (objectBtf == null) {
            throw new IllegalStateException(path + " has no BTF");
        }
        try (Btf btf = Btf.ofObject(path, objectBtf)) {
            var = btf.sectionVariables(".rodata").get(name);
        }
        if (var == null) {
            throw new IllegalArgumentException(path + " has no const volatile global \"" + name + "\"");
        }
        if (var.size() != value.length) {
            throw new IllegalArgumentException("global " + name + " is " + var.size() + " bytes, got " + value.length);
        }
        Pointer map = lib.bpf_object__find_map_by_name(handle(), ".rodata");
        if (map == null) {
            throw new IllegalStateException(path + " has no .rodata map");
        }
        Pointer data = lib.bpf_map__initial_value(map, new LongByReference());
        if (data == null) {
            throw new IllegalStateException("no initial value for .rodata of " + path);
        }
        data.write(var.offset(), value, 0, value.length);
        return this;
    }

    /** Creates the maps and loads every program into the kernel; a verifier rejection throws with its log. */
    public BpfObject load() {
        ensureNotLoaded();
        Checked.call("load BPF object " + path, () -> lib.bpf_object__load(handle()));
        loaded = true;
        // the load parsed the kernel's BTF (tens of MB for CO-RE and the verifier log) and freed it;
        // glibc keeps freed memory in its arenas, where the daemon would carry it for good
        NativeLibraries.c().malloc_trim(0);
        return this;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** A loaded program by its function name. */
    public BpfProgram program(String name) {
        ensureLoaded();
        return programs.computeIfAbsent(name, n -> {
            Pointer p = lib.bpf_object__find_program_by_name(handle(), n);
            if (p == null) {
                throw new IllegalArgumentException("no program '" + n + "' in " + path + "; programs: " + programNames());
            }
            return new BpfProgram(this, p);
        });
    }

    /** A created map by name. */
    public BpfMap map(String name) {
        ensureLoaded();
        return maps.computeIfAbsent(name, n -> {
            Pointer m = findMap(n);
            return new BpfMap(lib.bpf_map__fd(m), lib.bpf_map__name(m), BpfMapType.of(lib.bpf_map__type(m)),
                    lib.bpf_map__key_size(m), lib.bpf_map__value_size(m), lib.bpf_map__max_entries(m),
                    lib.bpf_map__map_flags(m), this);
        });
    }

    /** A map as declared (before load, with the sizes set so far) or as created (after). */
    public MapSpec mapSpec(String name) {
        Pointer m = findMap(name);
        return new MapSpec(BpfMapType.of(lib.bpf_map__type(m)), lib.bpf_map__key_size(m), lib.bpf_map__value_size(m),
                lib.bpf_map__max_entries(m), lib.bpf_map__map_flags(m));
    }

    public List<String> programNames() {
        List<String> names = new ArrayList<>();
        for (Pointer p = lib.bpf_object__next_program(handle(), null); p != null;
             p = lib.bpf_object__next_program(handle(), p)) {
            names.add(lib.bpf_program__name(p));
        }
        return names;
    }

    /** Map names, including libbpf's internal ones such as {@code <object>.rodata}. */
    public List<String> mapNames() {
        List<String> names = new ArrayList<>();
        for (Pointer m = lib.bpf_object__next_map(handle(), null); m != null; m = lib.bpf_object__next_map(handle(), m)) {
            names.add(lib.bpf_map__name(m));
        }
        return names;
    }

    /** Pins every map as {@code dir/<map name>}. */
    public void pinMaps(Path dir) {
        ensureLoaded();
        Checked.call("pin maps of " + path + " under " + dir, () -> lib.bpf_object__pin_maps(handle(), dir.toString()));
    }

    /** Removes the pins {@link #pinMaps} made under {@code dir}. */
    public void unpinMaps(Path dir) {
        ensureLoaded();
        Checked.call("unpin maps of " + path + " under " + dir,
                () -> lib.bpf_object__unpin_maps(handle(), dir.toString()));
    }

    @Override
    public void close() {
        if (object != null) {
            lib.bpf_object__close(object);
            object = null;
        }
    }

    @Override
    public void ensureOpen() {
        if (object == null) {
            throw new IllegalStateException("BPF object " + path + " is closed");
        }
    }

    private Pointer handle() {
        ensureOpen();
        return object;
    }

    private Pointer configurableMap(String name) {
        ensureNotLoaded();
        return findMap(name);
    }

    private Pointer findMap(String name) {
        Pointer m = lib.bpf_object__find_map_by_name(handle(), name);
        if (m == null) {
            throw new IllegalArgumentException("no map '" + name + "' in " + path + "; maps: " + mapNames());
        }
        return m;
    }

    private void ensureLoaded() {
        if (!loaded) {
            throw new IllegalStateException("BPF object " + path + " is not loaded");
        }
    }

    private void ensureNotLoaded() {
        if (loaded) {
            throw new IllegalStateException("BPF object " + path + " is already loaded");
        }
    }
}
