package io.xdpgate.controlplane.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PromQL the chart ships, the dashboard's panel queries and the PrometheusRule's alert
 * expressions, rendered with both enabled; and the xdpgate series they select: each metric name
 * with its label matchers, for checking against a real scrape.
 */
public final class MonitoringQueries {
    /** One selector of a query: {@code xdpgate_packets_total{counter=~"drop_.*"}} is the name and one matcher. */
    public record Selector(String metric, List<Matcher> matchers) {
        @Override
        public String toString() {
            return metric + matchers;
        }
    }

    /** A label matcher: {@code counter="drop_policy"} ({@code regex} false) or {@code counter=~"drop_.*"}. */
    public record Matcher(String label, boolean regex, String value) {
        @Override
        public String toString() {
            return label + (regex ? "=~" : "=") + "\"" + value + "\"";
        }
    }

    private static final Pattern SELECTOR = Pattern.compile("\\b(xdpgate_[a-z0-9_]+)\\b(\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

    /** The rendered chart's objects with the dashboard and the rules on. */
    public static List<HasMetadata> rendered() {
        return Chart.objects(Map.of("dashboards.enabled", true, "prometheusRule.enabled", true));
    }

    /** The dashboard's model as the ConfigMap ships it. */
    public static JsonNode dashboard(List<HasMetadata> objects) {
        ConfigMap cm = objects.stream().filter(o -> o instanceof ConfigMap c && c.getData().containsKey("xdpgate.json"))
                .map(ConfigMap.class::cast).findFirst().orElseThrow(() -> new AssertionError("no dashboard ConfigMap"));
        return JsonMapper.builder().build().readTree(cm.getData().get("xdpgate.json"));
    }

    /** The PrometheusRule's rules (each a map: alert, expr, for, labels, annotations). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> rules(List<HasMetadata> objects) {
        GenericKubernetesResource rule = objects.stream().filter(o -> o.getKind().equals("PrometheusRule"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow(() -> new AssertionError("no PrometheusRule"));
        Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) spec.get("groups")) {
            out.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return out;
    }

    /** Every PromQL expression shipped: the dashboard's targets and variable queries, the rules' exprs. */
    public static List<String> expressions(List<HasMetadata> objects) {
        List<String> out = new ArrayList<>();
        JsonNode dash = dashboard(objects);
        for (JsonNode panel : dash.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.get("expr").asString());
            }
        }
        for (JsonNode variable : dash.get("templating").get("list")) {
            if (variable.has("definition")) {
                out.add(variable.get("definition").asString());
            }
        }
        rules(objects).forEach(r -> out.add(String.valueOf(r.get("expr"))));
        return out;
    }

    /** The xdpgate selectors of {@code expr}, in order, without repeats. */
    public static Set<Selector> selectors(String expr) {
        Set<Selector> out = new LinkedHashSet<>();
        java.util.regex.Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            List<Matcher> matchers = new ArrayList<>();
            if (m.group(3) != null) {
                java.util.regex.Matcher l = MATCHER.matcher(m.group(3));
                while (l.find()) {
                    if (l.group(2).startsWith("!")) {
                        continue; // a negative matcher names nothing that must exist
                    }
                    matchers.add(new Matcher(l.group(1), l.group(2).equals("=~"), l.group(3)));
                }
            }
            out.add(new Selector(m.group(1), matchers));
        }
        return out;
    }

    private MonitoringQueries() {
    }
}
