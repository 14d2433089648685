package io.xdpgate.datapath.bpf;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/** The capabilities this process holds, read from /proc/self/status. */
final class Privileges {
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_BPF = 39;

    private Privileges() {
    }

    /** Null when the process may load BPF programs, else why not. */
    static String missingForBpf() {
        BigInteger effective = effectiveCapabilities();
        if (effective == null) {
            return null; // no procfs to ask: let the bpf() probe decide
        }
        if (effective.testBit(CAP_BPF) || effective.testBit(CAP_SYS_ADMIN)) {
            return null;
        }
        return "not privileged: needs root or CAP_BPF (euid " + NativeLibraries.c().geteuid()
                + ", effective capabilities 0x" + effective.toString(16) + ")";
    }

    private static BigInteger effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new BigInteger(line.substring("CapEff:".length()).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
