package io.xdpgate.controlplane.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.xdpgate.controlplane.gateway.GatewayHost;
import io.xdpgate.controlplane.gateway.RestartCause;
import io.xdpgate.controlplane.gateway.RestartCounters;
import org.springframework.stereotype.Component;

/**
 * The watchdog's restarts as Prometheus series, {@code xdpgate_gateway_restarts_total{gateway="web",
 * cause="died"|"stalled"}}: one per gateway the daemon has hosted (at zero from the start), added
 * as gateways appear.
 */
@Component
class GatewayMetrics implements MeterBinder {
    private final RestartCounters restarts;

    GatewayMetrics(GatewayHost host) {
        this.restarts = host.restarts();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        restarts.onNewGateway(name -> register(registry, name));
        for (String name : restarts.gateways()) {
            register(registry, name);
        }
    }

    private void register(MeterRegistry registry, String gateway) {
        for (RestartCause cause : RestartCause.values()) {
            FunctionCounter.builder("xdpgate.gateway.restarts", restarts, r -> r.get(gateway, cause))
                    .description("gateway runtimes restarted by the watchdog, by gateway and cause")
                    .tag("gateway", gateway).tag("cause", cause.key())
                    .register(registry);
        }
    }
}
