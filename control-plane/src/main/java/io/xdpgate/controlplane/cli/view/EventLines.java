package io.xdpgate.controlplane.cli.view;

import io.xdpgate.controlplane.cli.format.Tuples;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;

/**
 * One flow event (an element of GET /api/v1/events, or one NDJSON line of a stream) as one line:
 * {@code 2026-12-07T11:31:53.740Z redirect conn 7 a:1 -> b:80 tcp nat a:1 -> g:40631 rule http gateway web}.
 * The time is UTC, ISO-8601 to the millisecond: the same on every operator's terminal and in the
 * daemon's JSON, and sortable; fields that are null are left out.
 */
public final class EventLines {
    private static final int TYPE_WIDTH = "redirect".length();

    private EventLines() {
    }

    public static String format(JsonNode event) {
        StringBuilder b = new StringBuilder(time(event.path("time").asString()));
        String type = event.path("type").asString();
        b.append(' ').append(type).append(" ".repeat(Math.max(0, TYPE_WIDTH - type.length())));
        b.append(" conn ").append(event.path("conn").isNull() || event.path("conn").isMissingNode()
                ? "-" : event.path("conn").asString());
        JsonNode original = event.path("original");
        b.append(' ').append(Tuples.text(original));
        if (original.hasNonNull("protocol")) {
            b.append(' ').append(original.path("protocol").asString());
        }
        if (Tuples.present(event.path("nat"))) {
            b.append(" nat ").append(Tuples.text(event.path("nat")));
        }
        field(b, "rule", event.path("rule"));
        field(b, "gateway", event.path("gateway"));
        field(b, "reason", event.path("reason"));
        return b.toString();
    }

    private static void field(StringBuilder b, String name, JsonNode value) {
        if (!value.isNull() && !value.isMissingNode()) {
            b.append(' ').append(name).append(' ').append(value.asString());
        }
    }

    private static String time(String iso) {
        try {
            return DateTimeFormatter.ISO_INSTANT.format(Instant.parse(iso).truncatedTo(ChronoUnit.MILLIS))
                    .replaceFirst("(\\d\\d:\\d\\d:\\d\\d)Z$", "$1.000Z");
        } catch (RuntimeException e) {
            return iso;
        }
    }
}
