package io.xdpgate.datapath.bpf;

/** The errno values callers of this package compare against, and their names and texts. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;
    /** kernel-internal "operation not supported", leaks out of bpf() for missing map operations */
    public static final int ENOTSUPP = 524;

    private Errno() {
    }

    /** Symbolic name such as {@code EEXIST}; {@code errno N} when the C library has none. */
    public static String name(int errno) {
        if (errno == ENOTSUPP) {
            return "ENOTSUPP";
        }
        String name = NativeLibraries.errnoName(errno);
        return name != null ? name : "errno " + errno;
    }

    /** The C library's description, e.g. {@code File exists}. */
    public static String text(int errno) {
        if (errno == ENOTSUPP) {
            return "Operation not supported";
        }
        String text = NativeLibraries.errnoText(errno);
        return text != null ? text : "Unknown error " + errno;
    }
}
