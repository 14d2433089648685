package io.xdpgate.controlplane.policy.json;

import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.deser.ValueInstantiator;

/**
 * Turns the binding problems Jackson can recover from (unknown fields, a value of the wrong
 * JSON type) into violations and carries on, so that one answer lists them all instead of
 * stopping at the first. The value in question is skipped and bound as null. One instance per
 * document: it keeps what it found.
 */
final class BindingProblems extends DeserializationProblemHandler {
    private final List<Violation> found = new ArrayList<>();

    List<Violation> list() {
        return List.copyOf(found);
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, ValueDeserializer<?> deserializer,
                                         Object beanOrClass, String propertyName) {
        Class<?> type = deserializer.handledType();
        found.add(new Violation(unknownFieldPath(ctxt.getParser(), propertyName), "unknown field \""
                + propertyName + "\"; " + kind(type) + " has the fields " + String.join(", ", fieldNames(type))));
        p.skipChildren();
        return true;
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken token,
                                        JsonParser p, String failureMsg) {
        wrongType(p, targetType.getRawClass(), token);
        return null;
    }

    /** A record from a scalar, e.g. {@code "rules": ["allow all"]}. */
    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                                            ValueInstantiator valueInsta, JsonParser p, String msg) {
        wrongType(p, instClass, p.currentToken());
        return null;
    }

    private void wrongType(JsonParser p, Class<?> target, JsonToken token) {
        String path = p.streamReadContext().pathAsPointer().toString();
        String reason = path.isEmpty()
                ? "the document must be a JSON object, not " + describe(token)
                : "expected " + describe(target) + ", found " + describe(token) + at(p.currentTokenLocation());
        if (target == String.class && token != null && token.isScalarValue()) {
            reason += "; write it in quotes: \"" + p.getString() + "\"";
        }
        found.add(new Violation(path, reason));
        p.skipChildren(); // past the whole array or object, so binding resumes at the next field
    }

    /**
     * Records are bound through their constructor, so Jackson buffers an unknown field and
     * reports it once the object has been read: the main parser then sits on the object's end
     * and its path is the object's. (Were a type bound field by field, the parser would still
     * be at the field, and its path the field's.)
     */
    private static String unknownFieldPath(JsonParser main, String propertyName) {
        JsonPointer here = main.streamReadContext().pathAsPointer();
        return (main.currentToken() == JsonToken.END_OBJECT ? here.appendProperty(propertyName) : here).toString();
    }

    static String at(TokenStreamLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String kind(Class<?> type) {
        if (type == RuleSpec.class) {
            return "a rule";
        }
        if (type == GatewaySpec.class) {
            return "a gateway";
        }
        return type == PolicyDocument.class ? "the document" : type.getSimpleName();
    }

    private static List<String> fieldNames(Class<?> type) {
        return type.isRecord() ? JsonFieldNames.of(type) : List.of("(see policy.schema.json)");
    }

    static String describe(Class<?> target) {
        if (target == String.class) {
            return "a string";
        }
        if (target == Integer.class) {
            return "a whole number";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "an object";
        }
        return "a " + target.getSimpleName();
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }
}
