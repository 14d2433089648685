package io.xdpgate.controlplane.cli;

import io.xdpgate.controlplane.cli.view.Json;
import io.xdpgate.controlplane.cli.view.StatsRates;
import io.xdpgate.controlplane.client.UnixHttpClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.function.ToIntFunction;
import tools.jackson.databind.JsonNode;

/**
 * The loop of {@code stats --watch}: read, wait, read, print the rates over the time really passed.
 * Ends after the intervals asked, when stdout is gone (a pipe's reader quit), on Ctrl-D at a
 * terminal, or on Ctrl-C (the JVM's default: exit, nothing half-written matters).
 */
final class StatsWatch {
    private final UnixHttpClient api;
    private final PrintWriter out;
    private final ToIntFunction<UnixHttpClient.Response> refused;
    private volatile boolean endOfInput;

    StatsWatch(UnixHttpClient api, PrintWriter out, ToIntFunction<UnixHttpClient.Response> refused) {
        this.api = api;
        this.out = out;
        this.refused = refused;
    }

    int run(double seconds, long intervals) throws IOException {
        if (System.console() != null) {
            Thread eof = new Thread(() -> {
                try {
                    while (System.in.read() != -1) {
                        // a line typed: keep watching
                    }
                } catch (IOException ignored) {
                    // stdin gone: the same as Ctrl-D
                }
                endOfInput = true;
            }, "stats-watch-stdin");
            eof.setDaemon(true);
            eof.start();
        }
        UnixHttpClient.Response first = api.get(StatsCommand.PATH);
        if (first.status() / 100 != 2) {
            return refused.applyAsInt(first);
        }
        JsonNode before = Json.parse(first.body());
        long was = System.nanoTime();
        for (long n = 0; n < intervals && !endOfInput; n++) {
            if (!sleep((long) (seconds * 1000))) {
                break;
            }
            UnixHttpClient.Response r = api.get(StatsCommand.PATH);
            if (r.status() / 100 != 2) {
                return refused.applyAsInt(r);
            }
            JsonNode now = Json.parse(r.body());
            long at = System.nanoTime();
            out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
            StatsRates.render(before, now, (at - was) / 1e9).forEach(out::println);
            out.println();
            if (out.checkError()) {
                break;
            }
            before = now;
            was = at;
        }
        return 0;
    }

    /** Waits, waking early for Ctrl-D; false when it should stop. */
    private boolean sleep(long millis) {
        long end = System.currentTimeMillis() + millis;
        try {
            while (!endOfInput && System.currentTimeMillis() < end) {
                Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !endOfInput;
    }
}
