package io.xdpgate.controlplane.policy;

import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON text to a {@link PolicyDocument}; syntax errors and unknown fields become violations. */
public final class PolicyParser {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private PolicyParser() {
    }

    public static PolicyDocument parse(String json) {
        try {
            PolicyDocument doc = JSON.readValue(json, PolicyDocument.class);
            if (doc == null) {
                throw new PolicyRejectedException(List.of(new Violation("", "the document is empty")));
            }
            return doc;
        } catch (JacksonException e) {
            throw new PolicyRejectedException(List.of(new Violation(pointer(e), reason(e))));
        }
    }

    public static String write(PolicyDocument doc) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    }

    /** JSON of any value, with the policy's mapper. */
    public static String writeAny(Object value) {
        return JSON.writeValueAsString(value);
    }

    private static String pointer(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            sb.append('/').append(ref.getPropertyName() != null ? ref.getPropertyName() : String.valueOf(ref.getIndex()));
        }
        return sb.toString();
    }

    private static String reason(JacksonException e) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf(" (class ");
        if (cut > 0) {
            message = message.substring(0, cut);
        }
        TokenStreamLocation at = e.getLocation();
        return at == null || at.getLineNr() < 0 ? message
                : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
