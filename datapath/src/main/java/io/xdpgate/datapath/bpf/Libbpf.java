package io.xdpgate.datapath.bpf;

import io.xdpgate.abi.Errno;

import java.util.Optional;

/** Whether this process can use libbpf and the bpf() syscall, and library-wide facts. */
public final class Libbpf {
    private Libbpf() {
    }

    /** True when libbpf loads, the process is privileged and the kernel accepts bpf(). Cheap after the first call. */
    public static boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** Why BPF cannot be used here (library missing, not privileged, bpf() refused), or empty. Never throws. */
    public static Optional<String> unavailabilityCause() {
        return Probe.CAUSE;
    }

    /** Number of possible CPUs: the slot count of per-CPU map values. */
    public static int possibleCpus() {
        return PossibleCpus.COUNT;
    }

    private static final class PossibleCpus {
        static final int COUNT = count();

        private static int count() {
            int n = NativeLibraries.bpf().libbpf_num_possible_cpus();
            if (n <= 0) {
                throw new BpfException("libbpf_num_possible_cpus", -n);
            }
            return n;
        }
    }

    /** Computed once: probing creates (and closes) a one-entry array map. */
    private static final class Probe {
        static final Optional<String> CAUSE = Optional.ofNullable(probe());
        private static final int BPF_MAP_TYPE_ARRAY = 2;

        private static String probe() {
            try {
                String loadFailure = NativeLibraries.loadFailure();
                if (loadFailure != null) {
                    return loadFailure;
                }
                String privileges = Privileges.missingForBpf();
                if (privileges != null) {
                    return privileges;
                }
                int fd = NativeLibraries.bpf().bpf_map_create(BPF_MAP_TYPE_ARRAY, "xg_probe", 4, 4, 1, null);
                if (fd < 0) {
                    return "the kernel refused bpf(BPF_MAP_CREATE): " + Errno.name(-fd) + " (" + Errno.text(-fd)
                            + ")" + (-fd == Errno.EPERM ? "; seccomp, lockdown or a container profile?" : "");
                }
                NativeLibraries.c().close(fd);
                return null;
            } catch (Throwable t) {
                return "probing libbpf failed: " + t;
            }
        }
    }
}
