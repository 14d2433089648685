package io.xdpgate.controlplane.cli.view;

import io.xdpgate.controlplane.cli.format.Table;
import io.xdpgate.controlplane.cli.format.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code xdpgate stats --watch}: per-second rates from the difference of two reads of /api/v1/stats. */
public final class StatsRates {
    private StatsRates() {
    }

    /**
     * Each counter of {@code now} also in {@code before}: (now - before) / seconds. A counter that went
     * down (the daemon restarted with new maps) counts from zero: its value over the interval.
     */
    public static Map<String, Double> between(JsonNode before, JsonNode now, double seconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        JsonNode was = before.path("counters");
        for (Map.Entry<String, JsonNode> e : now.path("counters").properties()) {
            if (was.has(e.getKey())) {
                long delta = e.getValue().asLong() - was.path(e.getKey()).asLong();
                out.put(e.getKey(), (delta < 0 ? e.getValue().asLong() : delta) / seconds);
            }
        }
        return out;
    }

    /** The verdict counters and every drop reason above zero: total and rate. */
    public static List<String> render(JsonNode before, JsonNode now, double seconds) {
        Map<String, Double> rates = between(before, now, seconds);
        JsonNode counters = now.path("counters");
        Table t = new Table("COUNTER", "TOTAL>", "PER SECOND>");
        for (String name : StatsView.VERDICTS) {
            if (rates.containsKey(name)) {
                t.row(name, counters.path(name).asLong(), Units.rate(rates.get(name)));
            }
        }
        for (Map.Entry<String, Long> d : StatsView.drops(counters)) {
            t.row(d.getKey(), d.getValue(), Units.rate(rates.getOrDefault(d.getKey(), 0.0)));
        }
        List<String> out = new ArrayList<>(t.lines());
        out.add("connections: " + now.path("connections").asLong() + String.format(java.util.Locale.ROOT,
                " (rates over %.1f s)", seconds));
        return out;
    }
}
