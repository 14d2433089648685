package io.xdpgate.controlplane.cli.format;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** A connection's tuple as the API gives it ({src, srcPort, dst, dstPort}): {@code a:1 -> [2001:db8::1]:80}. */
public final class Tuples {
    public static final String ARROW = " -> ";

    private Tuples() {
    }

    /** An address and port; IPv6 in brackets so the port is not read as part of the address. */
    public static String endpoint(String address, long port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    public static String source(JsonNode tuple) {
        return endpoint(tuple.path("src").asString(), tuple.path("srcPort").asLong());
    }

    public static String destination(JsonNode tuple) {
        return endpoint(tuple.path("dst").asString(), tuple.path("dstPort").asLong());
    }

    /** {@code src:port -> dst:port}; "-" for a missing or null tuple. */
    public static String text(JsonNode tuple) {
        return present(tuple) ? source(tuple) + ARROW + destination(tuple) : "-";
    }

    public static boolean present(JsonNode tuple) {
        return tuple != null && tuple.isObject();
    }

    /**
     * {@code label} and the tuple on one line of at most {@code width} columns, or, when that does
     * not fit, the source on the first line and {@code -> destination} under it: an address is never cut.
     */
    public static List<String> lines(String label, JsonNode tuple, int width) {
        String one = label + text(tuple);
        if (one.length() <= width || !present(tuple)) {
            return List.of(one);
        }
        String indent = " ".repeat(label.length());
        return List.of(label + source(tuple), indent + ARROW.strip() + " " + destination(tuple));
    }
}
