package io.xdpgate.controlplane.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xdpgate.controlplane.policy.Examples;
import io.xdpgate.controlplane.policy.FakeKernel;
import io.xdpgate.controlplane.policy.MemoryStorage;
import io.xdpgate.controlplane.policy.NoGateways;
import io.xdpgate.controlplane.policy.PolicyApplyException;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Policy applies counted by how they ended, on a real policy service over a fake kernel: a good
 * document is applied (the generation moves, the time is set), a refused one is invalid (in the
 * parser or in the checks), a kernel failure rolled back is failed; neither of those moves the
 * generation.
 */
class PolicyMetricsTest {
    private static final String GOOD = Examples.rules("{\"name\":\"ssh\",\"protocol\":\"tcp\",\"ports\":\"22\",\"action\":\"pass\"}");

    private final FakeKernel kernel = new FakeKernel();
    private final PolicyService service = new PolicyService(kernel, new MemoryStorage(), NoGateways.DEPLOYER);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void appliesAreCountedByResult() {
        new PolicyMetrics(service).bindTo(registry);
        assertEquals(0.0, gauge("xdpgate.policy.last.apply.timestamp.seconds"), "0 before the first apply");

        Instant before = Instant.now();
        service.apply(GOOD);
        assertThrows(PolicyRejectedException.class, () -> service.apply("{\"defaultAction\":\"maybe\"}"));
        assertThrows(PolicyRejectedException.class, () -> service.apply(Examples.rules(
                "{\"name\":\"x\",\"protocol\":\"tcp\",\"ports\":\"22\",\"action\":\"redirect\",\"gateway\":\"nowhere\"}")));
        kernel.failActivate = true;
        assertThrows(PolicyApplyException.class, () -> service.apply(GOOD));

        assertEquals(1.0, applies("applied"));
        assertEquals(2.0, applies("invalid"));
        assertEquals(1.0, applies("failed"));
        assertEquals(1.0, gauge("xdpgate.policy.generation"), "only the applied one counts");
        double at = gauge("xdpgate.policy.last.apply.timestamp.seconds");
        assertTrue(at >= before.getEpochSecond() && at <= Instant.now().getEpochSecond() + 1, "applied at " + at);
        assertEquals(service.applies().appliedAt().toEpochMilli() / 1000.0, at);

        kernel.failActivate = false;
        service.apply(GOOD);
        assertEquals(2.0, gauge("xdpgate.policy.generation"));
    }

    private double applies(String result) {
        return registry.get("xdpgate.policy.applies").tag("result", result).functionCounter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
