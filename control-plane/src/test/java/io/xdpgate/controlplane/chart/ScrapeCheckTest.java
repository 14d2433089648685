package io.xdpgate.controlplane.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The check of the shipped queries against a scrape: it names a misspelt metric or label value. */
class ScrapeCheckTest {
    private static final String SCRAPE = """
            # HELP xdpgate_packets_total packets counted by the XDP program
            # TYPE xdpgate_packets_total counter
            xdpgate_packets_total{counter="drop_policy"} 2.0
            xdpgate_packets_total{counter="pass"} 37.0
            xdpgate_gateway_up{gateway="web"} 1.0
            xdpgate_policy_generation 1.0
            """;

    @Test
    void whatTheScrapeHasPasses() {
        assertEquals(List.of(), ScrapeCheck.missing(List.of(
                "sum(rate(xdpgate_packets_total{instance=~\"$instance\", counter=~\"drop_.*\"}[5m]))",
                "xdpgate_packets_total{counter=~\"pass|drop_policy\"} / xdpgate_policy_generation",
                "xdpgate_gateway_up == 0"), SCRAPE));
    }

    @Test
    void aMisspeltNameOrValueIsNamed() {
        List<String> missing = ScrapeCheck.missing(List.of(
                "xdpgate_gateway_upp == 0",
                "rate(xdpgate_packets_total{counter=\"drop_polcy\"}[5m])",
                "rate(xdpgate_packets_total{counter=~\"pass|redirect\"}[5m])",
                "rate(xdpgate_packets_total{counter=~\"dorp_.*\"}[5m])"), SCRAPE);
        assertEquals(4, missing.size(), missing.toString());
        assertTrue(missing.get(0).startsWith("xdpgate_gateway_upp (no such metric)"), missing.get(0));
        assertTrue(missing.get(1).contains("counter=\"drop_polcy\""), missing.get(1));
        assertTrue(missing.get(2).contains("counter=\"redirect\""), missing.get(2));
        assertTrue(missing.get(3).contains("dorp_.*"), missing.get(3));
    }
}
