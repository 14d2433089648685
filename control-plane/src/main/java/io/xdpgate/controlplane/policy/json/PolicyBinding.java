package io.xdpgate.controlplane.policy.json;

import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON bytes to a {@link PolicyDocument} as far as the text allows, with every problem found on
 * the way as a violation: syntax errors (with line and column; binding stops there), unknown
 * fields and values of the wrong JSON type (collected by {@link BindingProblems}, binding
 * carries on).
 */
final class PolicyBinding {
    /** @param document null when nothing usable could be bound */
    record Bound(PolicyDocument document, List<Violation> problems) {
    }

    private PolicyBinding() {
    }

    static Bound bind(JsonMapper json, byte[] text) {
        if (isBlank(text)) {
            return new Bound(null, List.of(new Violation("", "the document is empty: expected a JSON object")));
        }
        BindingProblems collected = new BindingProblems();
        try {
            PolicyDocument doc = json.readerFor(PolicyDocument.class).withHandler(collected).readValue(text);
            List<Violation> problems = new ArrayList<>(collected.list());
            if (doc == null && problems.isEmpty()) {
                problems.add(new Violation("", "the document must be a JSON object, not null"));
            }
            return new Bound(doc, problems);
        } catch (JacksonException e) {
            // Not recoverable; keep what was collected before it.
            List<Violation> problems = new ArrayList<>(collected.list());
            problems.add(fatal(e));
            return new Bound(null, problems);
        }
    }

    private static Violation fatal(JacksonException e) {
        if (e instanceof StreamReadException && e.processor() instanceof JsonParser parser) {
            return new Violation(parser.streamReadContext().pathAsPointer().toString(),
                    "not valid JSON" + BindingProblems.at(e.getLocation()) + ": " + withoutSource(e.getOriginalMessage()));
        }
        return new Violation(pointer(e), withoutSource(e.getOriginalMessage()) + BindingProblems.at(e.getLocation()));
    }

    /**
     * Jackson's words about the text, without its notes on where its own reader was ("(for Array
     * starting at [Source: REDACTED ...; byte offset: #UNKNOWN])"): the line and column say that.
     */
    static String withoutSource(String message) {
        return message == null ? "" : message
                .replaceAll("\\s*\\(for [^\\[()]*\\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*\\[Source:[^\\]]*\\]", "")
                .strip();
    }

    private static String pointer(JacksonException e) {
        JsonPointer pointer = JsonPointer.empty();
        for (JacksonException.Reference ref : e.getPath()) {
            pointer = ref.getPropertyName() != null ? pointer.appendProperty(ref.getPropertyName())
                    : pointer.appendIndex(ref.getIndex());
        }
        return pointer.toString();
    }

    private static boolean isBlank(byte[] text) {
        for (byte b : text) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
