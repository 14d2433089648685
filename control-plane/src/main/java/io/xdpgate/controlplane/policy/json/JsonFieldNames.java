package io.xdpgate.controlplane.policy.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/** The JSON field names of a document record, in declaration order (as Jackson names them). */
final class JsonFieldNames {
    private JsonFieldNames() {
    }

    static List<String> of(Class<?> record) {
        RecordComponent[] components = record.getRecordComponents();
        if (components == null) {
            throw new IllegalArgumentException(record + " is not a record");
        }
        return Arrays.stream(components).map(JsonFieldNames::name).toList();
    }

    /** {@code @JsonProperty} does not target record components; Java puts it on the accessor. */
    private static String name(RecordComponent c) {
        JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
        return renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName();
    }
}
