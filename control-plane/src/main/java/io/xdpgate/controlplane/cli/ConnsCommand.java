package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.cli.view.ConnectionFilter;
import io.xdpgate.controlplane.cli.view.ConnectionsView;
import io.xdpgate.controlplane.cli.view.Json;
import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code xdpgate conns}: the connection table, filtered by gateway, state or host. */
@Command(name = "conns", description = "The connection table: tuples, NAT, verdict, state, age, bytes.")
final class ConnsCommand extends ApiCommand {
    @Mixin
    OutputOption output;
    @Option(names = "--gateway", paramLabel = "ID|NAME", description = "only the connections redirected to it")
    String gateway;
    @Option(names = "--state", paramLabel = "STATE", description = "only in this TCP state (established, closed, ...)")
    String state;
    @Option(names = "--host", paramLabel = "ADDR", description = "only with this address at either end of either tuple")
    String host;

    @Override
    public Integer call() throws IOException {
        InetAddress address = null;
        if (host != null) {
            try {
                address = ConnectionFilter.address(host);
            } catch (IllegalArgumentException e) {
                throw usage("--host: " + e.getMessage());
            }
        }
        UnixHttpClient api = api();
        UnixHttpClient.Response r = api.get("/api/v1/connections");
        if (!ok(r)) {
            return refused(r);
        }
        Map<Long, String> names = new HashMap<>();
        if (gateway != null || output.table()) {
            UnixHttpClient.Response g = api.get("/api/v1/gateways");
            if (ok(g)) {
                json(g).forEach(n -> names.put(n.path("id").asLong(), n.path("name").asString()));
            }
        }
        ConnectionFilter filter = new ConnectionFilter(gatewayId(names), state, address);
        if (!output.table() && filter.isEmpty()) {
            output.write(out(), r.body());
            return 0;
        }
        List<JsonNode> shown = new ArrayList<>();
        json(r).forEach(c -> {
            if (filter.matches(c)) {
                shown.add(c);
            }
        });
        if (!output.table()) {
            output.write(out(), Json.MAPPER.writeValueAsString(shown));
            return 0;
        }
        return print(ConnectionsView.render(shown, names));
    }

    private Long gatewayId(Map<Long, String> names) {
        if (gateway == null) {
            return null;
        }
        if (gateway.matches("\\d+")) {
            return Long.parseLong(gateway);
        }
        return names.entrySet().stream().filter(e -> e.getValue().equals(gateway)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> usage("--gateway: no gateway named " + gateway
                        + (names.isEmpty() ? "" : " (there are: " + String.join(", ", names.values()) + ")")));
    }
}
