package io.xdpgate.controlplane.cli.view;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** A refusal (non-2xx, problem+json) for stderr: title, detail, and each violation's path and reason. */
public final class ProblemView {
    private ProblemView() {
    }

    public static List<String> render(int status, String body) {
        JsonNode p;
        try {
            p = Json.parse(body);
        } catch (JacksonException e) {
            p = null;
        }
        List<String> out = new ArrayList<>();
        if (p == null || !p.isObject()) {
            out.add("xdpgate: the daemon answered " + status + (body.isBlank() ? "" : ": " + body.strip()));
            return out;
        }
        out.add("xdpgate: " + p.path("title").asString("HTTP " + status) + " (" + status + ")");
        if (p.hasNonNull("detail")) {
            out.add("  " + p.path("detail").asString());
        }
        for (JsonNode v : p.path("violations")) {
            String path = v.path("path").asString("");
            out.add("  " + (path.isEmpty() ? "(document)" : path) + ": " + v.path("reason").asString());
        }
        if (p.hasNonNull("incident")) {
            out.add("  incident " + p.path("incident").asString());
        }
        return out;
    }
}
