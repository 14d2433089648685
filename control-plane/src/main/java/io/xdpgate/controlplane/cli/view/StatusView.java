package io.xdpgate.controlplane.cli.view;

import io.xdpgate.controlplane.cli.format.Table;
import io.xdpgate.controlplane.cli.format.Units;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** {@code xdpgate status}: GET /healthz and GET /api/v1/gateways as a short summary. */
public final class StatusView {
    private StatusView() {
    }

    /** @param gateways the /api/v1/gateways array, or null when it could not be read */
    public static List<String> render(JsonNode health, JsonNode gateways) {
        List<String> out = new ArrayList<>();
        out.add("daemon    " + health.path("status").asString() + ", program " + health.path("programId").asString()
                + (health.path("detached").asBoolean() ? ", DETACHED (no interface filtered)" : ", attached")
                + (health.path("reusedPinnedMaps").asBoolean() ? ", reused pinned maps" : ""));
        out.add("policy    " + policy(health.path("policy")));
        JsonNode attachments = health.path("attachments");
        if (attachments.isEmpty()) {
            out.add("attached  nowhere");
        } else {
            Table t = new Table("  INTERFACE", "ROLE", "HOOK", "MODE", "PROGRAM>", "PATTERN");
            for (JsonNode a : attachments) {
                t.row("  " + a.path("interface").asString(), a.path("role").asString(), a.path("hook").asString(),
                        a.path("mode").asString(), a.path("programId").asString(),
                        a.hasNonNull("pattern") ? a.path("pattern").asString() : "");
            }
            out.addAll(t.lines());
        }
        if (gateways == null) {
            out.add("gateways  (not readable)");
            return out;
        }
        int up = 0;
        for (JsonNode g : gateways) {
            up += g.path("active").asBoolean() ? 1 : 0;
        }
        out.add("gateways  " + up + " up, " + (gateways.size() - up) + " down");
        if (!gateways.isEmpty()) {
            Table t = new Table("  NAME", "PROTOCOL", "STATE", "ACTIVE", "POOL USED/SIZE>");
            for (JsonNode g : gateways) {
                JsonNode pool = g.path("pool");
                t.row("  " + g.path("name").asString(), g.path("protocol").asString(), GatewaysView.state(g),
                        g.path("active").asBoolean() ? "up" : "down",
                        pool.isObject() ? Units.fill(pool.path("used").asLong(), pool.path("size").asLong()) : "-");
            }
            out.addAll(t.lines());
        }
        return out;
    }

    /** rest, or kubernetes with the object in force; generation and appliedAt when the daemon gives them. */
    private static String policy(JsonNode p) {
        StringBuilder b = new StringBuilder(p.path("source").asString("unknown"));
        if (p.hasNonNull("object")) {
            b.append(", object ").append(p.path("object").asString());
        }
        if (p.hasNonNull("inForce")) {
            b.append(", in force ").append(p.path("inForce").asString());
        }
        if (p.hasNonNull("generation")) {
            b.append(", generation ").append(p.path("generation").asString());
        }
        if (p.hasNonNull("appliedAt")) {
            b.append(", applied ").append(p.path("appliedAt").asString());
        }
        return b.toString();
    }
}
