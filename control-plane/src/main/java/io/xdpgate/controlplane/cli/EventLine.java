package io.xdpgate.controlplane.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One flow event (an element of GET /api/v1/events, a line of its stream) as one line for people:
 * {@code <time> <seq> <type> <flow> rule=<rule> [gateway=<gw> nat=<flow>] [reason=<why>] [conn=<id>]}.
 */
final class EventLine {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventLine() {
    }

    /** The stream's marker for events dropped because this client read too slowly; -1 when {@code json} is an event. */
    static long lost(String json) {
        JsonNode n = parse(json);
        return n != null && n.has("lost") ? n.get("lost").asLong() : -1;
    }

    /** The event's line; a line that is not JSON as it came. */
    static String format(String json) {
        JsonNode e = parse(json);
        if (e == null || !e.isObject()) {
            return json;
        }
        StringBuilder line = new StringBuilder()
                .append(text(e, "time")).append(" #").append(text(e, "seq"))
                .append(' ').append(text(e, "type"))
                .append(' ').append(text(e.path("original"), "text"))
                .append(" rule=").append(e.path("rule").isNull() ? "?" : text(e, "rule"));
        if (!e.path("gatewayId").isNull() && !e.path("gatewayId").isMissingNode()) {
            line.append(" gateway=").append(e.path("gateway").isNull() ? "#" + text(e, "gatewayId") : text(e, "gateway"));
        }
        if (e.path("nat").isObject()) {
            line.append(" nat=").append(text(e.path("nat"), "text").replace(' ', '_'));
        }
        if (e.path("reason").isString()) {
            line.append(" reason=").append(text(e, "reason"));
        }
        if (e.path("conn").isNumber()) {
            line.append(" conn=").append(text(e, "conn"));
        }
        return line.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).asString();
    }
}
