package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.cli.view.EventLines;
import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xdpgate events}: recent flow events, one line each (see {@link EventLines}). */
@Command(name = "events", description = "Recent flow events (new, redirect, closed, drop), newest last; times in UTC.")
final class EventsCommand extends ApiCommand {
    @Mixin
    OutputOption output;
    @Option(names = "--limit", paramLabel = "N", description = "at most N, the newest (daemon default: 100)")
    Integer limit;
    @Option(names = "--type", paramLabel = "TYPE", description = "only new, redirect, closed or drop")
    String type;
    @Option(names = "--conn", paramLabel = "ID", description = "only the events of this connection")
    String conn;

    @Override
    public Integer call() throws IOException {
        StringBuilder query = new StringBuilder();
        param(query, "limit", limit == null ? null : limit.toString());
        param(query, "type", type);
        param(query, "conn", conn);
        UnixHttpClient.Response r = api().get("/api/v1/events" + query);
        if (!ok(r)) {
            return refused(r);
        }
        if (!output.table()) {
            output.write(out(), r.body());
            return 0;
        }
        List<String> lines = new ArrayList<>();
        json(r).forEach(e -> lines.add(EventLines.format(e)));
        return print(lines.isEmpty() ? List.of("no events") : lines);
    }

    private static void param(StringBuilder query, String name, String value) {
        if (value != null) {
            query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
