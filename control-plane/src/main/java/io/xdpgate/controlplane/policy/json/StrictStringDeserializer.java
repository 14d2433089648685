package io.xdpgate.controlplane.policy.json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * A string field takes a JSON string and nothing else: the schema says string, and
 * {@code "ports": 80} is cheap to fix once pointed out. Anything else goes to the problem
 * handler ({@link BindingProblems}), which reports it along with every other problem; Jackson's
 * own coercion failure would end binding at the first.
 */
final class StrictStringDeserializer extends StdScalarDeserializer<String> {
    StrictStringDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
        if (p.hasToken(JsonToken.VALUE_STRING)) {
            return p.getString();
        }
        return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
}
