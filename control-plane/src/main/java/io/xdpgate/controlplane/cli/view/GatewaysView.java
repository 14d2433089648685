package io.xdpgate.controlplane.cli.view;

import io.xdpgate.controlplane.cli.format.Table;
import io.xdpgate.controlplane.cli.format.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code xdpgate gateways}: a row per gateway, then a row per instance; optionally their non-zero counters. */
public final class GatewaysView {
    private GatewaysView() {
    }

    /** running, degraded, restarting; "not hosted" for one another node (or nobody) runs. */
    static String state(JsonNode g) {
        return g.path("hosted").asBoolean() ? g.path("state").asString("unknown") : "not hosted";
    }

    public static List<String> render(JsonNode gateways, boolean counters) {
        if (gateways.isEmpty()) {
            return List.of("no gateways");
        }
        Table t = new Table("NAME", "PROTO", "STATE", "ACTIVE", "INST>", "FLOWS>", "HELD>", "POOL>",
                "OPENED>", "ALLOWED>", "DENIED>", "RESTARTS>");
        Table inst = new Table("  GATEWAY", "INSTANCE>", "STATE", "FLOWS>", "INTERFACES", "LAST FAILURE");
        for (JsonNode g : gateways) {
            JsonNode c = g.path("counters");
            boolean hosted = g.path("hosted").asBoolean();
            JsonNode pool = g.path("pool");
            t.row(g.path("name").asString(), g.path("protocol").asString(), state(g),
                    g.path("active").asBoolean() ? "yes" : "no",
                    hosted ? String.valueOf(g.path("instances").size()) : "-",
                    hosted ? g.path("flows").asString() : "-",
                    g.hasNonNull("heldBytes") ? Units.bytes(g.path("heldBytes").asLong()) : "-",
                    pool.isObject() ? pool.path("used").asLong() + "/" + pool.path("size").asLong() : "-",
                    count(c, "flows_opened"), count(c, "flows_allowed"), count(c, "flows_denied"),
                    hosted ? String.valueOf(restarts(g.path("restarts"))) : "-");
            for (JsonNode i : g.path("instances")) {
                inst.row("  " + g.path("name").asString(), i.path("instance").asString(), i.path("state").asString(),
                        i.path("flows").asString(), String.join(" ", strings(i.path("interfaces"))),
                        i.hasNonNull("lastFailureAt")
                                ? i.path("lastFailureAt").asString() + " " + i.path("lastRestartCause").asString("")
                                : "-");
            }
        }
        List<String> out = new ArrayList<>(t.lines());
        if (!inst.isEmpty()) {
            out.add("");
            out.addAll(inst.lines());
        }
        if (counters) {
            Table ct = new Table("  GATEWAY", "COUNTER", "VALUE>");
            for (JsonNode g : gateways) {
                for (Map.Entry<String, JsonNode> e : g.path("counters").properties()) {
                    if (e.getValue().asLong() != 0) {
                        ct.row("  " + g.path("name").asString(), e.getKey(), e.getValue().asLong());
                    }
                }
            }
            out.add("");
            out.addAll(ct.isEmpty() ? List.of("no non-zero counters") : ct.lines());
        }
        return out;
    }

    private static String count(JsonNode counters, String name) {
        return counters.has(name) ? counters.path(name).asString() : "-";
    }

    private static long restarts(JsonNode byCause) {
        long n = 0;
        for (JsonNode v : byCause) {
            n += v.asLong();
        }
        return n;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asString()));
        return out;
    }
}
