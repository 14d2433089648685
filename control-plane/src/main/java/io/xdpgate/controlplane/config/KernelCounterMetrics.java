package io.xdpgate.controlplane.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.xdpgate.controlplane.connections.ConnectionGc;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.events.EventLog;
import io.xdpgate.controlplane.events.FlowLog;
import io.xdpgate.controlplane.events.Followers;
import io.xdpgate.abi.Stat;
import org.springframework.stereotype.Component;

/**
 * The kernel's counters as Prometheus series: {@code xdpgate_packets_total{counter="drop_policy"}}
 * and friends, read from the per-CPU stats map at scrape time; GC, the connection count of its
 * last sweep, the flow event log's counts and its followers alongside.
 */
@Component
class KernelCounterMetrics implements MeterBinder {
    private final LoadedDatapath datapath;
    private final ConnectionGc gc;
    private final EventLog events;
    private final FlowLog flowLog;
    private final Followers followers;

    KernelCounterMetrics(LoadedDatapath datapath, ConnectionGc gc, EventLog events, FlowLog flowLog,
                         Followers followers) {
        this.datapath = datapath;
        this.gc = gc;
        this.events = events;
        this.flowLog = flowLog;
        this.followers = followers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Stat stat : Stat.values()) {
            FunctionCounter.builder("xdpgate.packets", datapath, d -> d.tables().counter(stat))
                    .description("packets counted by the XDP program, by counter (verdicts, drop reasons)")
                    .tag("counter", stat.displayName())
                    .register(registry);
        }
        FunctionCounter.builder("xdpgate.gc.removed", gc, ConnectionGc::removedIdle).tag("reason", "idle")
                .description("connections removed by GC").register(registry);
        FunctionCounter.builder("xdpgate.gc.removed", gc, ConnectionGc::removedClosed).tag("reason", "closed")
                .description("connections removed by GC").register(registry);
        // the GC's count of its last sweep: a scrape never walks the table
        Gauge.builder("xdpgate.connections", gc, ConnectionGc::counted)
                .description("entries in the connection table at the GC's last sweep").register(registry);
        FunctionCounter.builder("xdpgate.events", events, EventLog::received)
                .description("flow events read from the kernel's ring buffer").register(registry);
        FunctionCounter.builder("xdpgate.events.log.suppressed", events, EventLog::suppressedLogLines)
                .description("drop lines the flow log left out over its rate limit").register(registry);
        FunctionCounter.builder("xdpgate.events.log.lost", flowLog, FlowLog::lost)
                .description("flow log lines its stdout or file could not take (disk full)").register(registry);
        Gauge.builder("xdpgate.events.followers", followers, Followers::count)
                .description("clients following the events now (GET /api/v1/events?follow=true)").register(registry);
        FunctionCounter.builder("xdpgate.events.follow.lost", followers, Followers::lost)
                .description("events dropped for followers that read too slowly").register(registry);
    }
}
