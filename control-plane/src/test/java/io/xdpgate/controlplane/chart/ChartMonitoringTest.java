package io.xdpgate.controlplane.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The chart's Grafana dashboard and PrometheusRule: off by default, rendered when asked with the
 * labels the sidecar and the Prometheus ask for, the dashboard's every query on the data source
 * variable, the rules' expressions well formed with the thresholds of the values, and bad values
 * refused by the schema. That their metric names exist is checked against a real scrape
 * (lab.MonitoringMetricsKernelTest).
 */
class ChartMonitoringTest {
    private static final Set<String> ALERTS = Set.of("XdpgateGatewayDown", "XdpgatePoolFilling", "XdpgateTableFilling",
            "XdpgateDropReasonRising", "XdpgatePolicyApplyFailed", "XdpgateEventsLost");

    @Test
    void neitherIsRenderedByDefault() {
        List<HasMetadata> objects = Chart.objects(Map.of());
        assertTrue(objects.stream().noneMatch(o -> o.getKind().equals("PrometheusRule")));
        assertTrue(objects.stream().noneMatch(o -> o instanceof ConfigMap c && c.getData().containsKey("xdpgate.json")));
    }

    @Test
    void theDashboardIsAConfigMapForTheSidecarWithEveryQueryOnTheDataSourceVariable() {
        List<HasMetadata> objects = MonitoringQueries.rendered();
        ConfigMap cm = objects.stream().filter(o -> o instanceof ConfigMap c && c.getData().containsKey("xdpgate.json"))
                .map(ConfigMap.class::cast).findFirst().orElseThrow();
        assertEquals("1", cm.getMetadata().getLabels().get("grafana_dashboard"), "the label Grafana's sidecar watches");
        assertEquals(Chart.NAMESPACE, cm.getMetadata().getNamespace());

        JsonNode dash = MonitoringQueries.dashboard(objects);
        JsonNode variables = dash.get("templating").get("list");
        assertEquals("datasource", variables.get(0).get("type").asString());
        assertEquals("prometheus", variables.get(0).get("query").asString());
        assertEquals("${datasource}", variables.get(1).get("datasource").get("uid").asString(), "the node variable too");
        int queries = 0;
        for (JsonNode panel : dash.get("panels")) {
            String title = panel.get("title").asString();
            if (panel.get("type").asString().equals("row")) {
                continue;
            }
            assertEquals("${datasource}", panel.get("datasource").get("uid").asString(), title);
            assertTrue(panel.get("targets").size() > 0, title + " has queries");
            for (JsonNode target : panel.get("targets")) {
                assertEquals("${datasource}", target.get("datasource").get("uid").asString(), title);
                String expr = target.get("expr").asString();
                assertTrue(expr.contains("instance=~\"$instance\""), title + " follows the node variable: " + expr);
                assertBalanced(expr);
                queries++;
            }
        }
        assertTrue(queries >= 15, "the panels the issue asks for: " + queries);
        Set<String> titles = collect(dash.get("panels"), "title");
        assertTrue(titles.containsAll(Set.of("Verdicts", "Drops by reason (top 10)", "Table fill", "Pool fill", "Gateway up",
                "Gateway flows", "Denials", "Held bytes", "Restarts", "Policy applies", "Policy generation", "Flow events")), titles.toString());
    }

    @Test
    void theSidecarsLabelAndNamespaceAreSettable() {
        ConfigMap cm = Chart.objects(Map.of("dashboards.enabled", true, "dashboards.labels.grafana_dashboard", "xdp",
                        "dashboards.namespace", "monitoring", "dashboards.annotations.grafana_folder", "Network")).stream()
                .filter(o -> o instanceof ConfigMap c && c.getData().containsKey("xdpgate.json")).map(ConfigMap.class::cast)
                .findFirst().orElseThrow();
        assertEquals("xdp", cm.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals("monitoring", cm.getMetadata().getNamespace());
        assertEquals("Network", cm.getMetadata().getAnnotations().get("grafana_folder"));
    }

    @Test
    void theRulesAreAPrometheusRuleWithTheAlertsWellFormed() {
        List<HasMetadata> objects = Chart.objects(Map.of("prometheusRule.enabled", true, "prometheusRule.labels.release", "kps"));
        HasMetadata rule = objects.stream().filter(o -> o.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());
        assertEquals("kps", rule.getMetadata().getLabels().get("release"), "the label a ruleSelector asks for");
        assertEquals(Chart.NAMESPACE, rule.getMetadata().getNamespace());
        List<Map<String, Object>> rules = MonitoringQueries.rules(objects);
        assertEquals(ALERTS, rules.stream().map(r -> (String) r.get("alert")).collect(Collectors.toSet()));
        for (Map<String, Object> r : rules) {
            String alert = (String) r.get("alert");
            String expr = (String) r.get("expr");
            assertBalanced(expr);
            assertFalse(MonitoringQueries.selectors(expr).isEmpty(), alert + " selects xdpgate series: " + expr);
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) r.get("annotations");
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) r.get("labels");
            assertTrue(Set.of("critical", "warning", "info").contains(labels.get("severity")), alert);
            assertTrue(annotations.get("summary").contains("{{ $labels.instance }}"), alert + " names the node");
            assertTrue(annotations.get("description").contains("{{ $labels.instance }}"), alert);
            if (r.get("for") != null) {
                assertTrue(String.valueOf(r.get("for")).matches("\\d+[smh]"), alert + " for: " + r.get("for"));
            }
        }
        assertTrue(byName(rules, "XdpgateGatewayDown").get("annotations").toString().contains("{{ $labels.gateway }}"));
        assertEquals("2m", byName(rules, "XdpgateGatewayDown").get("for"));
        assertTrue(byName(rules, "XdpgateDropReasonRising").get("annotations").toString().contains("{{ $labels.counter }}"));
        assertTrue(byName(rules, "XdpgatePoolFilling").get("expr").toString().endsWith("> 0.8"));
    }

    @Test
    void theThresholdsComeFromTheValues() {
        List<Map<String, Object>> rules = MonitoringQueries.rules(Chart.objects(
                "prometheusRule: {enabled: true, poolFillRatio: 0.9, dropReason: {minRate: 50, factor: 8}}\n", Map.of()));
        assertTrue(byName(rules, "XdpgatePoolFilling").get("expr").toString().endsWith("> 0.9"));
        assertTrue(byName(rules, "XdpgatePoolFilling").get("annotations").toString().contains("over 0.9 of"));
        String drops = byName(rules, "XdpgateDropReasonRising").get("expr").toString();
        assertTrue(drops.contains("> 50") && drops.contains("> 8 *"), drops);
    }

    @Test
    void theSchemaRefusesBadMonitoringValues() {
        // values files: --set would pass the numbers as strings
        Map<String, String> bad = Map.of(
                "prometheusRule: {poolFillRatio: 1.5}\n", "poolFillRatio",
                "prometheusRule: {dropReason: {factor: 0.5}}\n", "factor",
                "prometheusRule: {dropReason: {minRate: -1}}\n", "minRate",
                "prometheusRule: {lables: {release: kps}}\n", "lables",
                "dashboards: {namespace: Not_A_Namespace}\n", "namespace",
                "dashboards: {enabled: \"yes\"}\n", "enabled");
        bad.forEach((values, field) -> {
            var e = assertThrows(IllegalStateException.class, () -> Chart.render(values, Map.of()), values);
            assertTrue(e.getMessage().contains(field), field + ": " + e.getMessage());
        });
    }

    private static Map<String, Object> byName(List<Map<String, Object>> rules, String alert) {
        return rules.stream().filter(r -> alert.equals(r.get("alert"))).findFirst().orElseThrow();
    }

    private static Set<String> collect(JsonNode panels, String field) {
        Set<String> out = new java.util.HashSet<>();
        panels.forEach(p -> out.add(p.get(field).asString()));
        return out;
    }

    /** Brackets, braces and parentheses paired outside the quoted strings, and no template left unrendered. */
    static void assertBalanced(String expr) {
        assertFalse(expr.contains("{{"), "nothing of a template left: " + expr);
        Deque<Character> open = new ArrayDeque<>();
        boolean quoted = false;
        for (char c : expr.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && "([{".indexOf(c) >= 0) {
                open.push(c);
            } else if (!quoted && ")]}".indexOf(c) >= 0) {
                char o = open.isEmpty() ? '?' : open.pop();
                assertEquals("([{".charAt(")]}".indexOf(c)), o, "unpaired " + c + " in " + expr);
            }
        }
        assertFalse(quoted, "an open string in " + expr);
        assertTrue(open.isEmpty(), "unclosed " + open + " in " + expr);
    }
}
