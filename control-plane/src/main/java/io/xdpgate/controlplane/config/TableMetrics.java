package io.xdpgate.controlplane.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.xdpgate.controlplane.connections.ConnectionGc;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.datapath.map.TypedMap;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * How full the kernel's flow tables are, {@code xdpgate_table_entries{table="conns"}} against
 * {@code xdpgate_table_capacity{table="conns"}}, for conns, nat_rev, expects and pairs. A scrape
 * reads counts made before: the connections as the GC's last sweep found them, the others
 * counted here on the GC's schedule, so a scrape never walks a table of a million entries.
 */
@Component
class TableMetrics implements MeterBinder {
    /** The tables counted here (conns is the GC's), by label. */
    private static final Map<String, Function<XdpgateTables, TypedMap<?, ?>>> COUNTED = Map.of(
            "nat_rev", XdpgateTables::natRev,
            "expects", XdpgateTables::expects,
            "pairs", XdpgateTables::pairs);

    private final LoadedDatapath datapath;
    private final ConnectionGc gc;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    TableMetrics(LoadedDatapath datapath, ConnectionGc gc) {
        this.datapath = datapath;
        this.gc = gc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        refresh();
        register(registry, "conns", datapath.tables().conns(), g -> g.gc.counted());
        COUNTED.forEach((table, map) -> register(registry, table, map.apply(datapath.tables()),
                g -> g.counts.getOrDefault(table, 0)));
    }

    private void register(MeterRegistry registry, String table, TypedMap<?, ?> map,
                          java.util.function.ToDoubleFunction<TableMetrics> entries) {
        Gauge.builder("xdpgate.table.entries", this, entries)
                .description("entries in a kernel table, counted on the GC's schedule")
                .tag("table", table).register(registry);
        int capacity = map.map().maxEntries();
        Gauge.builder("xdpgate.table.capacity", () -> capacity)
                .description("entries a kernel table can hold (its max_entries)")
                .tag("table", table).register(registry);
    }

    @Scheduled(fixedDelayString = "${xdpgate.gc.interval:5s}")
    void refresh() {
        COUNTED.forEach((table, map) -> counts.put(table, map.apply(datapath.tables()).keys().size()));
    }
}
