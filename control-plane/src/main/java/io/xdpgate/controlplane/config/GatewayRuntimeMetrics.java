package io.xdpgate.controlplane.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.xdpgate.controlplane.gateway.GatewayHost;
import io.xdpgate.controlplane.gateway.GatewayStatus;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The policy's gateways as Prometheus series: {@code xdpgate_gateway_up{gateway}} (1 when the
 * packet processor sends it flows, as GET /api/v1/gateways's {@code active}), and for those
 * hosted here {@code xdpgate_gateway_flows}, {@code xdpgate_gateway_held_bytes} and their runtimes'
 * counters summed, {@code xdpgate_gateway_events_total{gateway,counter="flows_denied"}} (the
 * names GET /api/v1/gateways shows), kept from going down when one instance restarts and counts
 * from zero again ({@link RuntimeTotals}): a sum that fell would read as a reset to rate(), and
 * the whole total as a jump. Read from the host on the GC's schedule, not at scrape time (a policy apply holds
 * the host for seconds); a gateway's series go when the policy drops it. Public for the gateway
 * package's tests, which drive it with a host on fake maps.
 */
@Component
public class GatewayRuntimeMetrics implements MeterBinder {
    private final PolicyService policies;
    private final GatewayHost host;
    private MeterRegistry registry;
    private MultiGauge up;
    private MultiGauge flows;
    private MultiGauge held;
    /** The counters as last read, by gateway and name; the registered counters read from here. */
    private volatile Map<String, Map<String, Long>> counters = Map.of();
    private final Map<String, List<Meter>> counterMeters = new HashMap<>();
    private final Map<String, RuntimeTotals> totals = new HashMap<>();

    public GatewayRuntimeMetrics(PolicyService policies, GatewayHost host) {
        this.policies = policies;
        this.host = host;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        up = MultiGauge.builder("xdpgate.gateway.up")
                .description("1 when the packet processor sends the gateway its flows (kernel entry active, a runtime serving), else 0")
                .register(registry);
        flows = MultiGauge.builder("xdpgate.gateway.flows")
                .description("connections a hosted gateway's runtimes track").register(registry);
        held = MultiGauge.builder("xdpgate.gateway.held.bytes")
                .description("bytes a hosted gateway's runtimes hold: payload awaiting approval, released bytes not yet acknowledged")
                .register(registry);
        refresh();
    }

    @Scheduled(fixedDelayString = "${xdpgate.gc.interval:5s}")
    public synchronized void refresh() {
        if (registry == null) {
            return;
        }
        List<GatewayAssignment> gateways = policies.gatewaysInForce();
        List<MultiGauge.Row<?>> upRows = new ArrayList<>();
        List<MultiGauge.Row<?>> flowRows = new ArrayList<>();
        List<MultiGauge.Row<?>> heldRows = new ArrayList<>();
        Map<String, Map<String, Long>> read = new HashMap<>();
        for (GatewayAssignment g : gateways) {
            GatewayStatus status = host.status(g.name()).orElse(null);
            Tags tags = Tags.of("gateway", g.name());
            upRows.add(MultiGauge.Row.of(tags, host.active(g.id(), status) ? 1 : 0));
            if (status != null) {
                flowRows.add(MultiGauge.Row.of(tags, status.flows()));
                heldRows.add(MultiGauge.Row.of(tags, status.heldBytes()));
                read.put(g.name(), totals(g.name(), status));
            }
        }
        up.register(upRows, true);
        flows.register(flowRows, true);
        held.register(heldRows, true);
        counters = read;
        totals.keySet().retainAll(read.keySet());
        followCounters(read);
    }

    /**
     * The gateway's counters since it was first seen, never going down: each instance's runtime
     * counters, and the protocol's own (the status's sum less the instances': one object for all
     * instances, not restarted with them).
     */
    private Map<String, Long> totals(String gateway, GatewayStatus status) {
        RuntimeTotals t = totals.computeIfAbsent(gateway, g -> new RuntimeTotals());
        Map<String, Long> protocol = new HashMap<>(status.counters());
        for (GatewayStatus.Instance i : status.instances()) {
            i.counters().forEach((name, value) -> {
                t.observe(i.instance(), name, value);
                protocol.merge(name, -value, Long::sum);
            });
        }
        protocol.forEach((name, value) -> t.observe(RuntimeTotals.PROTOCOL, name, value));
        return t.all();
    }

    /** Registers the counters of gateways (or names) new since the last read, removes those of gateways gone. */
    private void followCounters(Map<String, Map<String, Long>> read) {
        for (String gone : new ArrayList<>(counterMeters.keySet())) {
            if (!read.containsKey(gone)) {
                counterMeters.remove(gone).forEach(registry::remove);
            }
        }
        read.forEach((gateway, named) -> {
            List<Meter> meters = counterMeters.computeIfAbsent(gateway, g -> new ArrayList<>());
            for (String counter : named.keySet()) {
                if (meters.stream().noneMatch(m -> counter.equals(m.getId().getTag("counter")))) {
                    meters.add(FunctionCounter.builder("xdpgate.gateway.events", this, m -> m.value(gateway, counter))
                            .description("a hosted gateway's runtime counters summed over its instances, by name "
                                    + "(flows_opened, flows_denied, drop_* reasons...)")
                            .tag("gateway", gateway).tag("counter", counter).register(registry));
                }
            }
        });
    }

    private double value(String gateway, String counter) {
        return counters.getOrDefault(gateway, Map.of()).getOrDefault(counter, 0L);
    }
}
