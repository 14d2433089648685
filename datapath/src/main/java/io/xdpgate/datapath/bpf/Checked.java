package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Turns libbpf's error conventions into {@link BpfException}: int functions return -errno,
 * pointer functions NULL with errno set. {@link #call} and {@link #pointer} are for libbpf
 * functions that print (open, load, attach ...) and attach what they printed; syscall wrappers
 * that never print use {@link #errno} directly.
 */
final class Checked {
    private Checked() {
    }

    static int call(String operation, IntSupplier libbpfCall) {
        return call(operation, libbpfCall, 0);
    }

    /** Like {@link #call(String, IntSupplier)}, returning {@code -tolerated} instead of throwing it. */
    static int call(String operation, IntSupplier libbpfCall, int tolerated) {
        LibbpfLog.reset();
        int rc = libbpfCall.getAsInt();
        if (rc < 0 && rc != -tolerated) {
            throw new BpfException(operation, -rc, LibbpfLog.drain());
        }
        return rc;
    }

    static Pointer pointer(String operation, Supplier<Pointer> libbpfCall) {
        LibbpfLog.reset();
        Pointer p = libbpfCall.get();
        if (p == null) {
            int errno = Native.getLastError();
            throw new BpfException(operation, errno != 0 ? errno : Errno.EINVAL, LibbpfLog.drain());
        }
        return p;
    }

    static BpfException errno(String operation, int errno) {
        return new BpfException(operation, errno, List.of());
    }
}
