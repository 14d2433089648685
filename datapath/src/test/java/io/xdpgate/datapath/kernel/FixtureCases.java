package io.xdpgate.datapath.kernel;

import io.xdpgate.datapath.tables.Hook;
import java.util.Locale;
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

    /** The class, and the hook when it is not XDP (the same suite runs at both). */
    private static String suite(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName();
        return Datapath.HOOK == Hook.XDP ? name : name + "-" + Datapath.HOOK.name().toLowerCase(Locale.ROOT);
    }
}
