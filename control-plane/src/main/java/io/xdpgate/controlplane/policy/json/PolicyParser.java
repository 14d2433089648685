package io.xdpgate.controlplane.policy.json;

import io.xdpgate.controlplane.policy.check.DocumentCheck;
import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * JSON text to a valid {@link PolicyDocument}, or {@link PolicyRejectedException} with every
 * violation: syntax errors (line and column), unknown fields and wrong types (with their path)
 * and everything {@link DocumentCheck} finds, in one answer. Also writes documents back.
 */
public final class PolicyParser {
    static final JsonMapper JSON = JsonMapper.builder()
            // BindingProblems reports unknown fields first; this is the backstop should it be absent.
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"action":"pass","action":"drop"} has no meaning a firewall should guess.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new SimpleModule("strict-scalars").addDeserializer(String.class, new StrictStringDeserializer())
                    .addDeserializer(Integer.class, new StrictIntegerDeserializer()))
            .build();

    private PolicyParser() {
    }

    public static PolicyDocument parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static PolicyDocument parse(byte[] json) {
        PolicyBinding.Bound bound = PolicyBinding.bind(JSON, json);
        List<Violation> violations = new ArrayList<>(bound.problems());
        if (bound.document() != null) {
            for (Violation v : DocumentCheck.run(bound.document()).violations()) {
                if (!explainedBy(v, bound.problems())) {
                    violations.add(v);
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new PolicyRejectedException(violations);
        }
        return bound.document();
    }

    /**
     * A value of the wrong type is bound as null, which the validator would report again
     * ("missing") at the same place or below it.
     */
    private static boolean explainedBy(Violation v, List<Violation> bindingProblems) {
        return bindingProblems.stream().anyMatch(p -> v.path().equals(p.path()) || v.path().startsWith(p.path() + "/"));
    }

    /** Indented, fields in the records' order, absent fields left out. */
    public static String write(PolicyDocument doc) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    }

    /** JSON of any value, with the policy's mapper. */
    public static String writeAny(Object value) {
        return JSON.writeValueAsString(value);
    }
}
