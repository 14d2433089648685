package io.xdpgate.datapath.kernel;

import io.xdpgate.datapath.testing.KernelTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A kernel suite: one packet processor loaded for the whole class (loading is the slow part),
 * reset by each case's own set-up.
 */
@KernelTest
@ExtendWith(FixtureCases.class)
abstract class DatapathSuite {
    static Datapath dp;

    @BeforeAll
    static void loadDatapath() {
        dp = Datapath.load();
    }

    @AfterAll
    static void closeDatapath() {
        if (dp != null) {
            dp.close();
            dp = null;
        }
    }
}
