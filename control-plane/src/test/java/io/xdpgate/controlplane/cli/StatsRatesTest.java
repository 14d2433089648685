package io.xdpgate.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xdpgate.controlplane.cli.view.Json;
import io.xdpgate.controlplane.cli.view.StatsRates;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The rate arithmetic of stats --watch, from two canned reads 2 s apart. */
class StatsRatesTest {
    private final JsonNode before = Json.parse(CliFixtures.text("cli/api/stats.json"));
    private final JsonNode after = Json.parse(CliFixtures.text("cli/api/stats-later.json"));

    @Test
    void ratesAreTheDifferenceOverTheSeconds() {
        Map<String, Double> r = StatsRates.between(before, after, 2.0);
        assertEquals(12.5, r.get("pass"));
        assertEquals(2.0, r.get("drop"));
        assertEquals(0.0, r.get("redirect"));
        assertEquals(50.0, r.get("fwd"));
        assertEquals(2.0, r.get("drop_policy"));
    }

    @Test
    void aCounterThatWentDownCountsFromZero() {
        Map<String, Double> r = StatsRates.between(after, before, 2.0);
        assertEquals(37 / 2.0, r.get("pass"), "the daemon restarted with new maps: 37 in the interval");
    }

    @Test
    void theWatchTableShowsTotalsAndRates() {
        List<String> lines = StatsRates.render(before, after, 2.0);
        assertEquals("COUNTER          TOTAL  PER SECOND", lines.get(0));
        assertEquals("pass                62        12.5", lines.get(1));
        assertEquals("drop_policy          6         2.0", lines.stream().filter(l -> l.startsWith("drop_policy"))
                .findFirst().orElseThrow());
        assertEquals("drop_meta            9           0", lines.stream().filter(l -> l.startsWith("drop_meta"))
                .findFirst().orElseThrow());
        assertEquals("connections: 3 (rates over 2.0 s)", lines.get(lines.size() - 1));
    }
}
