package io.xdpgate.datapath.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

class KernelTestConditionTest {
    @Test
    void runsWhenNothingIsMissing() {
        assertFalse(KernelTestCondition.decide(true, Optional.empty()).isDisabled());
        assertFalse(KernelTestCondition.decide(false, Optional.empty()).isDisabled());
    }

    @Test
    void skipsWithTheReasonOutsideCi() {
        ConditionEvaluationResult result = KernelTestCondition.decide(false, Optional.of("not root (euid 1000)"));
        assertTrue(result.isDisabled());
        assertTrue(result.getReason().orElseThrow().contains("not root (euid 1000)"));
    }

    @Test
    void failsWithTheReasonUnderCi() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelTestCondition.decide(true, Optional.of("cannot load libbpf")));
        assertTrue(e.getMessage().contains("cannot load libbpf"));
        assertTrue(e.getMessage().contains("CI=true"));
    }
}
