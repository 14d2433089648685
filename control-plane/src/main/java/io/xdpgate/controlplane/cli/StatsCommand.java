package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.cli.view.StatsView;
import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xdpgate stats}: verdict counters and the drops that happened; --watch: rates. */
@Command(name = "stats", description = "Verdict counters, the non-zero drop reasons (most first), GC.")
final class StatsCommand extends ApiCommand {
    static final String PATH = "/api/v1/stats";

    @Mixin
    OutputOption output;
    @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "SECONDS",
            description = "every SECONDS (default 2): totals and per-second rates, until Ctrl-C or Ctrl-D")
    Double watch;
    @Option(names = "--count", paramLabel = "N", description = "with --watch: stop after N intervals")
    Integer count;

    @Override
    public Integer call() throws IOException {
        UnixHttpClient api = api();
        if (watch != null) {
            if (watch <= 0 || !output.table()) {
                throw usage("--watch takes a positive number of seconds and prints tables only");
            }
            return new StatsWatch(api, out(), this::refused).run(watch, count == null ? Long.MAX_VALUE : count);
        }
        UnixHttpClient.Response r = api.get(PATH);
        if (!ok(r)) {
            return refused(r);
        }
        if (!output.table()) {
            output.write(out(), r.body());
            return 0;
        }
        return print(StatsView.render(json(r)));
    }
}
