package io.xdpgate.datapath.testing;

import io.xdpgate.datapath.bpf.Libbpf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs {@link KernelTest}s where root and BPF are there; skips them elsewhere, fails them under CI. */
public final class KernelTestCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return decide("true".equalsIgnoreCase(System.getenv("CI")), missingPrerequisite());
    }

    /** An exception thrown by a condition fails the test or container instead of skipping it. */
    static ConditionEvaluationResult decide(boolean ci, Optional<String> missing) {
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("root with a BPF-capable kernel");
        }
        if (ci) {
            throw new IllegalStateException("kernel test cannot run and CI=true forbids skipping it: " + missing.get());
        }
        return ConditionEvaluationResult.disabled("kernel test skipped: " + missing.get());
    }

    static Optional<String> missingPrerequisite() {
        int euid = effectiveUid();
        if (euid != 0) {
            return Optional.of("not root (euid " + euid + ")");
        }
        return Libbpf.unavailabilityCause();
    }

    private static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
