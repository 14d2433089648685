package io.xdpgate.controlplane.chart;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which series the shipped queries select that a scrape of /metrics does not have: a metric name
 * missing, or a label value (counter="drop_policy", result=~"invalid|failed", counter=~"drop_.*")
 * no series of that metric carries. Labels Prometheus adds itself (instance, job...) and values
 * with a dashboard variable are not the daemon's, so not checked.
 */
public final class ScrapeCheck {
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "pod", "namespace", "node", "container",
            "service", "endpoint");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern LITERALS = Pattern.compile("[a-zA-Z0-9_]+(\\|[a-zA-Z0-9_]+)*");

    /** The series of a scrape in the Prometheus text format: each metric's label sets. */
    public static Map<String, List<Map<String, String>>> parse(String scrape) {
        Map<String, List<Map<String, String>>> out = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SERIES.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a series line: " + line);
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
        }
        return out;
    }

    /** What the expressions select that {@code scrape} lacks, each said with its query; empty when all is there. */
    public static List<String> missing(List<String> expressions, String scrape) {
        Map<String, List<Map<String, String>>> series = parse(scrape);
        Set<String> out = new LinkedHashSet<>();
        for (String expr : expressions) {
            for (MonitoringQueries.Selector s : MonitoringQueries.selectors(expr)) {
                List<Map<String, String>> found = series.get(s.metric());
                if (found == null) {
                    out.add(s.metric() + " (no such metric) in: " + expr);
                    continue;
                }
                for (MonitoringQueries.Matcher m : s.matchers()) {
                    if (TARGET_LABELS.contains(m.label()) || m.value().contains("$")) {
                        continue;
                    }
                    for (String problem : check(m, found)) {
                        out.add(s.metric() + "{" + problem + "} in: " + expr);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String> check(MonitoringQueries.Matcher m, List<Map<String, String>> found) {
        Set<String> values = new LinkedHashSet<>();
        found.forEach(labels -> {
            if (labels.containsKey(m.label())) {
                values.add(labels.get(m.label()));
            }
        });
        List<String> problems = new ArrayList<>();
        if (!m.regex() || LITERALS.matcher(m.value()).matches()) {
            // a value, or a choice of values: each must be one a series carries
            for (String v : m.value().split("\\|")) {
                if (!values.contains(v)) {
                    problems.add(m.label() + "=\"" + v + "\" (no series has it; it has " + values + ")");
                }
            }
        } else {
            Pattern p = Pattern.compile(m.value());
            if (values.stream().noneMatch(v -> p.matcher(v).matches())) {
                problems.add(m + " (matches no series' " + m.label() + ")");
            }
        }
        return problems;
    }

    private ScrapeCheck() {
    }
}
