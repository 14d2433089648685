package io.xdpgate.gateways.spi;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Binds a policy's gateway {@code config} (JSON as maps, lists, strings, numbers and booleans),
 * for every gateway the same way: each value read by key with its fallback, every problem
 * collected with its path ({@code config.maxHeaders: must be a positive integer, got "ten"},
 * {@code config.allowNames[2]: ...}), unknown keys among them, and all of them thrown at once
 * by {@link #done} in an {@link IllegalArgumentException}, so a policy with a bad config is
 * refused whole with every reason.
 */
public final class ConfigReader {
    private final Map<String, ?> config;
    /** Each problem with the key it is about, to report them in the config's order. */
    private final List<Map.Entry<String, String>> problems = new ArrayList<>();
    private final List<String> order = new ArrayList<>();

    /** {@code config} may be null (nothing set); any key not in {@code keys} is a problem. */
    public ConfigReader(Map<String, ?> config, List<String> keys) {
        this.config = config == null ? Map.of() : config;
        for (Object key : this.config.keySet()) {
            String k = String.valueOf(key);
            order.add(k);
            if (!keys.contains(k)) {
                problems.add(Map.entry(k, path(k) + ": unknown key; known keys are " + String.join(", ", keys)));
            }
        }
    }

    private static String path(String key) {
        return "config." + key;
    }

    public boolean has(String key) {
        return config.containsKey(key);
    }

    /** Records a problem of the caller's own with {@code key}. */
    public void problem(String key, String message) {
        problem(key, key, message);
    }

    /** Records a problem of the caller's own with item {@code index} of list {@code key} ("config.allowPaths[2]: ..."). */
    public void problem(String key, int index, String message) {
        problem(key, key + "[" + index + "]", message);
    }

    private void problem(String key, String at, String message) {
        problems.add(Map.entry(key, path(at) + ": " + message));
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        Object v = config.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        problem(key, "must be true or false, got " + describe(v));
        return fallback;
    }

    public int positive(String key, int fallback) {
        return integer(key, fallback, 1, Integer.MAX_VALUE, "a positive integer");
    }

    public int nonNegative(String key, int fallback) {
        return integer(key, fallback, 0, Integer.MAX_VALUE, "a non-negative integer");
    }

    /** A whole number in [min, max]; {@code what} says it in the problem ("an integer from 1 to 100"). */
    public int integer(String key, int fallback, int min, int max, String what) {
        if (!has(key)) {
            return fallback;
        }
        Object v = config.get(key);
        if (v instanceof Number n) {
            try {
                BigDecimal d = new BigDecimal(n.toString());
                if (d.compareTo(BigDecimal.valueOf(min)) >= 0 && d.stripTrailingZeros().scale() <= 0
                        && d.compareTo(BigDecimal.valueOf(max)) <= 0) {
                    return d.intValueExact();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // NaN, infinities: fall through to the problem
            }
        }
        problem(key, "must be " + what + ", got " + describe(v));
        return fallback;
    }

    /** One of {@code choices}' keys (exactly as written), as its value. */
    public <T> T oneOf(String key, T fallback, Map<String, T> choices) {
        if (!has(key)) {
            return fallback;
        }
        Object v = config.get(key);
        T chosen = v instanceof String s ? choices.get(s) : null;
        if (chosen == null) {
            List<String> names = choices.keySet().stream().sorted().map(c -> "\"" + c + "\"").toList();
            String list = names.size() == 2 ? names.get(0) + " or " + names.get(1) : "one of " + String.join(", ", names);
            problem(key, "must be " + list + ", got " + describe(v));
            return fallback;
        }
        return chosen;
    }

    /**
     * A list of strings, each passing {@code valid} ({@code what} names what one must be);
     * lower-cased when {@code lowerCase}. Invalid items are left out and reported by index.
     */
    public List<String> strings(String key, List<String> fallback, Predicate<String> valid, String what,
                                boolean lowerCase) {
        if (!has(key)) {
            return fallback;
        }
        Object v = config.get(key);
        if (!(v instanceof List<?> list)) {
            problem(key, "must be a list of strings, got " + describe(v));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof String s)) {
                problem(key, i, "must be a string, got " + describe(item));
            } else if (!valid.test(s)) {
                problem(key, i, "must be " + what + ", got " + describe(s));
            } else {
                out.add(lowerCase ? s.toLowerCase(Locale.ROOT) : s);
            }
        }
        return List.copyOf(out);
    }

    /** Throws every problem found, in the order of the config's keys, joined by "; ", when there is any. */
    public void done() {
        if (problems.isEmpty()) {
            return;
        }
        List<Map.Entry<String, String>> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(e -> order.indexOf(e.getKey())));
        throw new IllegalArgumentException(String.join("; ", sorted.stream().map(Map.Entry::getValue).toList()));
    }

    /** A config value as JSON would show it, cut short. */
    public static String describe(Object v) {
        String s;
        if (v == null) {
            s = "null";
        } else if (v instanceof String str) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : str.toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20 || c >= 0x7f) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            s = sb.append('"').toString();
        } else if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(describe(item)));
            s = "[" + String.join(", ", items) + "]";
        } else if (v instanceof Map<?, ?> map) {
            List<String> items = new ArrayList<>();
            map.forEach((k, item) -> items.add(describe(String.valueOf(k)) + ": " + describe(item)));
            s = "{" + String.join(", ", items) + "}";
        } else {
            s = Objects.toString(v);
        }
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
