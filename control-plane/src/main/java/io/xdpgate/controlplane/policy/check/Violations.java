package io.xdpgate.controlplane.policy.check;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Collects violations while a document is checked, so that one answer lists everything to fix.
 * The datapath's parsers judge the values; their {@link IllegalArgumentException}s become
 * violations at the path of the field that was parsed.
 */
final class Violations {
    private final List<Violation> found = new ArrayList<>();

    void add(String path, String reason) {
        found.add(new Violation(path, reason));
    }

    /** The parsed value, or null (with a violation) when the parser refuses the text. */
    <T> T parse(String path, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            add(path, e.getMessage());
            return null;
        }
    }

    int count() {
        return found.size();
    }

    List<Violation> list() {
        return List.copyOf(found);
    }
}
