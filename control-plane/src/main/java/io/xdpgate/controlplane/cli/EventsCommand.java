package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.cli.view.EventLines;
import io.xdpgate.controlplane.cli.view.Json;
import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code xdpgate events}: recent flow events, one line each (see {@link EventLines}); with
 * {@code --follow} each new one as the daemon streams it (NDJSON), flushed line by line.
 */
@Command(name = "events", description = "Recent flow events (new, redirect, closed, drop), newest last; times in UTC; "
        + "with --follow each new one as it comes, until Ctrl-C.")
final class EventsCommand extends ApiCommand {
    static final int UNREACHABLE = 3;

    @Mixin
    OutputOption output;
    @Option(names = "--limit", paramLabel = "N", description = "at most N, the newest (daemon default: 100; "
            + "with --follow: N recent ones first, default 0)")
    Integer limit;
    @Option(names = "--type", paramLabel = "TYPE", description = "only new, redirect, closed or drop")
    String type;
    @Option(names = "--conn", paramLabel = "ID", description = "only the events of this connection")
    String conn;
    @Option(names = {"-f", "--follow"}, description = "keep printing events as they happen, until Ctrl-C")
    boolean follow;

    @Override
    public Integer call() throws IOException {
        StringBuilder query = new StringBuilder();
        param(query, "follow", follow ? "true" : null);
        param(query, "limit", limit == null ? null : limit.toString());
        param(query, "type", type);
        param(query, "conn", conn);
        if (follow) {
            if (output.format == OutputOption.Format.yaml) {
                throw usage("--follow prints one line per event: -o table or -o json (one JSON object per line)");
            }
            return follow("/api/v1/events" + query);
        }
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

    /** Prints each streamed event; a lost marker ({"lost":N}) is a warning on stderr. */
    private int follow(String path) throws IOException {
        PrintWriter out = out();
        PrintWriter err = spec.commandLine().getErr();
        long[] lines = {0};
        UnixHttpClient.Response r;
        try {
            r = api().stream(path, line -> {
                lines[0]++;
                JsonNode node = parse(line);
                if (node == null) {
                    out.println(line); // not JSON (a newer daemon's marker, say): shown as it came
                    out.flush();
                } else if (node.has("lost")) {
                    err.println("xdpgate: " + node.path("lost").asLong()
                            + " events lost here: this client read them too slowly");
                    err.flush();
                } else {
                    out.println(output.table() ? EventLines.format(node) : line);
                    out.flush(); // a pipe (grep) sees each event at once
                }
            });
        } catch (ClosedByInterruptException stopped) {
            return 0;
        } catch (IOException e) {
            if (lines[0] == 0) {
                throw e;
            }
            err.println("xdpgate: the daemon went away: " + e.getMessage());
            return UNREACHABLE;
        }
        if (!ok(r)) {
            return refused(r);
        }
        err.println("xdpgate: the daemon ended the stream (it is stopping)");
        return UNREACHABLE;
    }

    private static JsonNode parse(String line) {
        try {
            return Json.parse(line);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static void param(StringBuilder query, String name, String value) {
        if (value != null) {
            query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
