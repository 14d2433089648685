package io.xdpgate.controlplane.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.xdpgate.controlplane.policy.PolicyApplies;
import io.xdpgate.controlplane.policy.PolicyService;
import org.springframework.stereotype.Component;

/**
 * Policy applies as Prometheus series: {@code xdpgate_policy_applies_total{result="applied"|
 * "invalid"|"failed"}} (invalid: refused by the checks, nothing touched; failed: the node's step
 * failed and was rolled back), {@code xdpgate_policy_generation} (applies in force since start)
 * and {@code xdpgate_policy_last_apply_timestamp_seconds} (when it took effect; 0 before).
 */
@Component
class PolicyMetrics implements MeterBinder {
    private final PolicyApplies applies;

    PolicyMetrics(PolicyService policies) {
        this.applies = policies.applies();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (PolicyApplies.Result result : PolicyApplies.Result.values()) {
            FunctionCounter.builder("xdpgate.policy.applies", applies, a -> a.count(result))
                    .description("policy applies by result: applied, invalid (refused by the checks), failed (rolled back)")
                    .tag("result", result.key()).register(registry);
        }
        Gauge.builder("xdpgate.policy.generation", applies, PolicyApplies::generation)
                .description("policies applied since the daemon started (the one in force is this one)")
                .register(registry);
        Gauge.builder("xdpgate.policy.last.apply.timestamp.seconds", applies,
                        a -> a.appliedAt() == null ? 0 : a.appliedAt().toEpochMilli() / 1000.0)
                .description("when the policy in force was applied, seconds since the epoch (0 before the first)")
                .register(registry);
    }
}
