package io.xdpgate.controlplane.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.xdpgate.controlplane.connections.PoolUsage;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pool fill per gateway of the policy in force, {@code xdpgate_gateway_pool_used{gateway="web"}}
 * and {@code xdpgate_gateway_pool_size}: counted from nat_rev on a schedule (one pass over the
 * table), not at scrape time, so a scrape never walks a table of a million entries.
 */
@Component
class PoolMetrics implements MeterBinder {
    private final LoadedDatapath datapath;
    private final PolicyService policies;
    private MultiGauge used;
    private MultiGauge size;

    PoolMetrics(LoadedDatapath datapath, PolicyService policies) {
        this.datapath = datapath;
        this.policies = policies;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        used = MultiGauge.builder("xdpgate.gateway.pool.used")
                .description("NAT identities (redirected connections) a gateway's pools hold").register(registry);
        size = MultiGauge.builder("xdpgate.gateway.pool.size")
                .description("NAT identities a gateway's pools can make (ports, times source-NAT ports)")
                .register(registry);
        refresh();
    }

    @Scheduled(fixedDelayString = "${xdpgate.gc.interval:5s}")
    synchronized void refresh() {
        if (used == null) {
            return;
        }
        List<GatewayAssignment> gateways = policies.gatewaysInForce();
        Map<Integer, PoolUsage.Pool> pools = PoolUsage.of(datapath.tables());
        List<MultiGauge.Row<?>> usedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> sizeRows = new ArrayList<>();
        for (GatewayAssignment g : gateways) {
            PoolUsage.Pool p = pools.get(g.id());
            if (p != null) {
                usedRows.add(MultiGauge.Row.of(Tags.of("gateway", g.name()), p.used()));
                sizeRows.add(MultiGauge.Row.of(Tags.of("gateway", g.name()), p.size()));
            }
        }
        used.register(usedRows, true);
        size.register(sizeRows, true);
    }
}
