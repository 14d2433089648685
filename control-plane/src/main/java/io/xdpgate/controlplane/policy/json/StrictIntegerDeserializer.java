package io.xdpgate.controlplane.policy.json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * A whole-number field takes a JSON integer and nothing else: Jackson would otherwise read
 * {@code "2"} and truncate {@code 2.5} to 2, so a typo would change what runs. Anything else goes
 * to the problem handler ({@link BindingProblems}), as {@link StrictStringDeserializer} does.
 */
final class StrictIntegerDeserializer extends StdScalarDeserializer<Integer> {
    StrictIntegerDeserializer() {
        super(Integer.class);
    }

    @Override
    public Integer deserialize(JsonParser p, DeserializationContext ctxt) {
        if (p.hasToken(JsonToken.VALUE_NUMBER_INT) && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        return (Integer) ctxt.handleUnexpectedToken(Integer.class, p);
    }
}
