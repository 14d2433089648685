package io.xdpgate.datapath.bpf;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.xdpgate.datapath.jna.LibBpfNative;
import io.xdpgate.datapath.jna.LibCNative;

/**
 * Loads libc and libbpf once per JVM and installs the libbpf message capture before any other
 * libbpf call can print. A library that cannot be loaded is remembered as a reason, not thrown at
 * class initialisation, so {@link Libbpf#unavailabilityCause()} can report it.
 */
final class NativeLibraries {
    private static final Loaded<LibCNative> C = load(LibCNative.class, LibCNative.NAME);
    private static final Loaded<LibBpfNative> BPF = loadLibbpf();

    private NativeLibraries() {
    }

    /** Why libbpf (or libc) cannot be used, or null. */
    static String loadFailure() {
        if (C.failure != null) {
            return C.failure;
        }
        return BPF.failure;
    }

    static LibBpfNative bpf() {
        if (BPF.library == null) {
            throw new IllegalStateException("libbpf is not usable: " + loadFailure());
        }
        return BPF.library;
    }

    static LibCNative c() {
        if (C.library == null) {
            throw new IllegalStateException("libc is not usable: " + C.failure);
        }
        return C.library;
    }

    private static Loaded<LibBpfNative> loadLibbpf() {
        Loaded<LibBpfNative> loaded = load(LibBpfNative.class, LibBpfNative.NAME);
        if (loaded.library == null) {
            // Without libbpf-dev there is no libbpf.so link, only the soname.
            Loaded<LibBpfNative> bySoname = load(LibBpfNative.class, LibBpfNative.SONAME);
            if (bySoname.library == null) {
                return new Loaded<>(null, "cannot load libbpf (tried \"" + LibBpfNative.NAME + "\": "
                        + loaded.failure + "; \"" + LibBpfNative.SONAME + "\": " + bySoname.failure + ")");
            }
            loaded = bySoname;
        }
        if (C.library != null) {
            loaded.library.libbpf_set_print(LibbpfLog.PRINTER);
        }
        return loaded;
    }

    private static <T extends com.sun.jna.Library> Loaded<T> load(Class<T> type, String name) {
        try {
            return new Loaded<>(Native.load(name, type), null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Loaded<>(null, e.getMessage());
        }
    }

    private record Loaded<T>(T library, String failure) {
    }
}
