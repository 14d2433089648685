package io.xdpgate.datapath.kernel;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Names the fixture a kernel suite records ({@link FixtureRecorder}) after the suite and each
 * case after its test. Runs before the suite's own {@code @BeforeAll} and {@code @BeforeEach}
 * methods, so their set-up is recorded under the right name.
 */
final class FixtureCases implements BeforeAllCallback, BeforeEachCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        FixtureRecorder.currentCase(suite(context), "(suite set-up)");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        FixtureRecorder.currentCase(suite(context),
                context.getRequiredTestMethod().getName() + ": " + context.getDisplayName());
    }

    private static String suite(ExtensionContext context) {
        return context.getRequiredTestClass().getSimpleName();
    }
}
