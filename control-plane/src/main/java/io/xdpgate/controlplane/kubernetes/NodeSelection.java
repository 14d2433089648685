package io.xdpgate.controlplane.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector (matchLabels and matchExpressions, all of them must hold) over a
 * Node's labels. An operator other than In, NotIn, Exists and DoesNotExist matches no node: a
 * selector the daemon cannot read never widens where a policy applies.
 */
public record NodeSelection(Map<String, String> matchLabels, List<Expression> matchExpressions) {
    public NodeSelection {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public record Expression(String key, String operator, List<String> values) {
        public Expression {
            values = values == null ? List.of() : List.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator == null ? "" : operator) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
        }
    }

    public boolean matches(Map<String, String> labels) {
        return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))
                && matchExpressions.stream().allMatch(e -> e.matches(labels));
    }
}
