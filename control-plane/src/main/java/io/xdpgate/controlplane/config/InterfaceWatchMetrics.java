package io.xdpgate.controlplane.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.xdpgate.controlplane.datapath.InterfaceWatch;
import io.xdpgate.controlplane.datapath.LinkReconciler;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The interface watch as Prometheus series: {@code xdpgate_interface_watch_total{event=...}}
 * (attached, detached, failed: attach or detach attempts that failed; overflow: events lost to a
 * full netlink buffer; malformed: datagrams refused; resync: full re-lists of the links) and
 * {@code xdpgate_interfaces_selected}, the links patterns hold attached now.
 */
@Component
class InterfaceWatchMetrics implements MeterBinder {
    private final InterfaceWatch watch;

    InterfaceWatchMetrics(InterfaceWatch watch) {
        this.watch = watch;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        LinkReconciler r = watch.reconciler();
        counter(registry, "attached", w -> r.attaches());
        counter(registry, "detached", w -> r.detaches());
        counter(registry, "failed", w -> r.failures());
        counter(registry, "overflow", InterfaceWatch::overflows);
        counter(registry, "malformed", InterfaceWatch::malformed);
        counter(registry, "resync", InterfaceWatch::passes);
        Gauge.builder("xdpgate.interfaces.selected", r, x -> x.selected().size())
                .description("interfaces the patterns hold attached now").register(registry);
    }

    private void counter(MeterRegistry registry, String event, ToDoubleFunction<InterfaceWatch> value) {
        FunctionCounter.builder("xdpgate.interface.watch", watch, value)
                .description("the interface watch: attaches, detaches, failures, lost events, full resyncs")
                .tag("event", event).register(registry);
    }
}
