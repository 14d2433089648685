package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.chart.MonitoringQueries;
import io.xdpgate.controlplane.chart.ScrapeCheck;
import io.xdpgate.datapath.testing.KernelTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's dashboard and alerts ask for series the daemon has: traffic through the lab's
 * web gateway (so the gateway series exist), then every xdpgate metric name and label value the
 * dashboard's queries and the rendered PrometheusRule's expressions select must be in a real
 * scrape of /metrics. Also the new series' values and the API fields beside them.
 */
@KernelTest
class MonitoringMetricsKernelTest {
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = new Lab();
        // the gateway and table series refresh on the GC's schedule
        lab.startDaemon("--xdpgate.gc.interval=1s");
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void everySeriesTheDashboardAndTheAlertsUseIsInTheScrape() throws Exception {
        var get = Lab.inNs("xg-client", Duration.ofSeconds(20), "curl", "-sS", "-m", "10", "http://198.18.2.2/");
        assertEquals(0, get.exit(), get.output());
        // refused by the lab policy: a drop reason counted
        Lab.inNs("xg-client", Duration.ofSeconds(20), "curl", "-sS", "-m", "2", "http://198.18.2.2:9/");

        String scrape = scrapeOnceGatewaySeriesMoved();
        List<String> missing = ScrapeCheck.missing(MonitoringQueries.expressions(MonitoringQueries.rendered()), scrape);
        assertTrue(missing.isEmpty(), "the dashboard or the rules use series /metrics lacks:\n  "
                + String.join("\n  ", missing));

        Map<String, List<Map<String, String>>> series = ScrapeCheck.parse(scrape);
        assertTrue(series.get("xdpgate_table_capacity").contains(Map.of("table", "conns")), "conns capacity");
        assertTrue(scrape.contains("xdpgate_gateway_up{gateway=\"web\"} 1.0"), "web is up");
        assertTrue(scrape.contains("xdpgate_policy_applies_total{result=\"applied\"} 1.0"), "the initial policy");
        assertTrue(scrape.contains("xdpgate_policy_generation 1.0"));
        assertTrue(scrape.matches("(?s).*\\nxdpgate_policy_last_apply_timestamp_seconds 1\\.[0-9.E]+\\n.*"), "set when applied");

        String health = lab.api().get("/healthz").body();
        assertTrue(health.matches("(?s).*\"policy\":\\{\"source\":\"rest\",\"generation\":1,\"appliedAt\":\"20[0-9-]+T[^\"]+Z\"}.*"), health);
        String gateways = lab.api().get("/api/v1/gateways").body();
        assertTrue(gateways.matches("(?s).*\"flows\":\\d+,\"heldBytes\":\\d+,\"counters\".*"), gateways);
        assertTrue(gateways.matches("(?s).*\"instances\":\\[\\{\"instance\":0,\"state\":\"running\",\"interfaces\":\\[[^]]*],\"flows\":\\d+,\"heldBytes\":\\d+.*"), gateways);
    }

    /** /metrics once the refresh after the traffic saw the gateway's flow opened. */
    private static String scrapeOnceGatewaySeriesMoved() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String scrape;
        do {
            scrape = lab.api().get("/metrics").body();
            if (scrape.matches("(?s).*xdpgate_gateway_events_total\\{counter=\"flows_opened\",gateway=\"web\"} [1-9].*")) {
                return scrape;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("web's flows_opened not above 0 in /metrics after 20 s:\n" + scrape);
    }
}
