package io.xdpgate.controlplane.cli.view;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The CLI's one reader of the daemon's JSON answers. */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** The body as a tree; a {@link tools.jackson.core.JacksonException} when it is not JSON. */
    public static JsonNode parse(String body) {
        return MAPPER.readTree(body);
    }
}
