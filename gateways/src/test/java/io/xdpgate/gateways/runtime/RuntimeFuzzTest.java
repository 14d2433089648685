package io.xdpgate.gateways.runtime;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the runtime's frame intake with {@link RuntimeFuzzDriver}: arbitrary frames and
 * sequences of frames, around two connections, into a runtime with a simple line-based
 * session. In a normal test run this is a short regression over the seed corpus in
 * {@code src/test/resources/io/xdpgate/gateways/runtime/RuntimeFuzzTestInputs/frameIntake};
 * with {@code JAZZER_FUZZ=1} Jazzer fuzzes it (and adds what it finds to a corpus beside it).
 */
class RuntimeFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void frameIntake(FuzzedDataProvider data) {
        new RuntimeFuzzDriver(data).run();
    }
}
