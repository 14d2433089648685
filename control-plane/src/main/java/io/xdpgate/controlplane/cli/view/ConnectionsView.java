package io.xdpgate.controlplane.cli.view;

import io.xdpgate.controlplane.cli.format.Table;
import io.xdpgate.controlplane.cli.format.Tuples;
import io.xdpgate.controlplane.cli.format.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code xdpgate conns}: a row per connection, its original and NAT tuples on the lines under it
 * (two IPv6 endpoints are up to 98 columns: no row has room for them). A tuple that does not fit the
 * width is wrapped before its {@code ->}, never inside an address.
 */
public final class ConnectionsView {
    public static final int WIDTH = 100;
    private static final String ORIG = "  orig ";
    private static final String NAT = "  nat  ";

    private ConnectionsView() {
    }

    /** @param gatewayNames gateway id to name, for the GATEWAY column (the id when unknown) */
    public static List<String> render(List<JsonNode> conns, Map<Long, String> gatewayNames) {
        if (conns.isEmpty()) {
            return List.of("no connections");
        }
        Table t = new Table("ID>", "PROTO", "VERDICT", "STATE", "GATEWAY", "AGE>", "IDLE>", "BYTES ORIG>", "REPLY>");
        for (JsonNode c : conns) {
            JsonNode gw = c.path("gateway");
            t.row(c.path("id").asString(), c.path("original").path("protocol").asString(),
                    c.path("verdict").asString(), c.path("state").asString(),
                    gw.isNumber() ? gatewayNames.getOrDefault(gw.asLong(), gw.asString()) : "-",
                    Units.duration(c.path("ageSeconds").asDouble()), Units.duration(c.path("idleSeconds").asDouble()),
                    Units.bytes(c.path("bytes").path("original").asLong()),
                    Units.bytes(c.path("bytes").path("reply").asLong()));
        }
        List<String> rows = t.lines();
        List<String> out = new ArrayList<>();
        out.add(rows.get(0));
        for (int i = 0; i < conns.size(); i++) {
            out.add(rows.get(i + 1));
            out.addAll(Tuples.lines(ORIG, conns.get(i).path("original"), WIDTH));
            out.addAll(Tuples.lines(NAT, conns.get(i).path("nat"), WIDTH));
        }
        return out;
    }
}
