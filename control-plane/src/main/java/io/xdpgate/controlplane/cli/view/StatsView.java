package io.xdpgate.controlplane.cli.view;

import io.xdpgate.controlplane.cli.format.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code xdpgate stats}: the verdict counters, then only the drop reasons that happened, most first. */
public final class StatsView {
    /** What happened to packets and flows, in the order a person asks about them. */
    static final List<String> VERDICTS = List.of("pass", "drop", "redirect", "new_flow", "established", "reply",
            "closed", "fwd", "fwd_local", "fwd_stack", "fwd_no_neigh", "fwd_frag_needed", "stateless",
            "gw_restored", "gw_bypass", "event_lost");
    private static final int PER_LINE = 3;

    private StatsView() {
    }

    public static List<String> render(JsonNode stats) {
        JsonNode counters = stats.path("counters");
        List<String> out = new ArrayList<>();
        Table block = new Table("", ">", "", ">", "", ">");
        List<Object> row = new ArrayList<>();
        for (String name : VERDICTS) {
            if (counters.has(name)) {
                row.add(name);
                row.add(counters.path(name).asLong());
                if (row.size() == 2 * PER_LINE) {
                    block.row(row.toArray());
                    row.clear();
                }
            }
        }
        if (!row.isEmpty()) {
            while (row.size() < 2 * PER_LINE) {
                row.add("");
            }
            block.row(row.toArray());
        }
        out.addAll(block.lines());
        List<Map.Entry<String, Long>> drops = drops(counters);
        if (drops.isEmpty()) {
            out.add("no drops");
        } else {
            Table t = new Table("DROP REASON", "PACKETS>");
            drops.forEach(d -> t.row(d.getKey(), d.getValue()));
            out.addAll(t.lines());
        }
        JsonNode gc = stats.path("gc");
        out.add("gc: removed idle " + gc.path("removed_idle").asLong() + ", removed closed "
                + gc.path("removed_closed").asLong() + "; connections: " + stats.path("connections").asLong());
        return out;
    }

    /** The drop_* counters above zero, by count descending, then by name. */
    static List<Map.Entry<String, Long>> drops(JsonNode counters) {
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : counters.properties()) {
            if (e.getKey().startsWith("drop_") && e.getValue().asLong() > 0) {
                out.add(Map.entry(e.getKey(), e.getValue().asLong()));
            }
        }
        out.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        return out;
    }
}
