package io.xdpgate.controlplane.cli.view;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** {@code conns --gateway/--state/--host}: which connections to show; null criteria match all. */
public record ConnectionFilter(Long gatewayId, String state, InetAddress host) {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    /** An IPv4 or IPv6 literal; never a name (no DNS from the operator's tool). */
    public static InetAddress address(String text) {
        if (!LITERAL.matcher(text).matches() || !(text.indexOf(':') >= 0 || text.chars().filter(c -> c == '.').count() == 3)) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
    }

    public boolean isEmpty() {
        return gatewayId == null && state == null && host == null;
    }

    public boolean matches(JsonNode c) {
        if (gatewayId != null && !(c.path("gateway").isNumber() && c.path("gateway").asLong() == gatewayId)) {
            return false;
        }
        if (state != null && !c.path("state").asString().equalsIgnoreCase(state.toLowerCase(Locale.ROOT))) {
            return false;
        }
        return host == null || hasEnd(c.path("original")) || hasEnd(c.path("nat"));
    }

    private boolean hasEnd(JsonNode tuple) {
        return tuple.isObject() && (same(tuple.path("src").asString()) || same(tuple.path("dst").asString()));
    }

    private boolean same(String address) {
        try {
            return address(address).equals(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
