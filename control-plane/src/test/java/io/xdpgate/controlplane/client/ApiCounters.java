package io.xdpgate.controlplane.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A daemon's packet processor counters, read as a test reads them: GET /api/v1/stats by name. */
public final class ApiCounters {
    private ApiCounters() {
    }

    /** The counter {@code name}, e.g. "drop_default", from the daemon behind {@code api}. */
    public static long read(UnixHttpClient api, String name) throws Exception {
        String body = api.get("/api/v1/stats").body();
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(body);
        if (!m.find()) {
            throw new AssertionError(name + " not in " + body);
        }
        return Long.parseLong(m.group(1));
    }
}
