package io.xdpgate.controlplane.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The example documents under src/test/resources/policies, and helpers to write small ones. */
final class Examples {
    /** Valid documents that between them use every field. */
    static final List<String> GOOD = List.of("issue-example.json", "every-field.json", "minimal.json");

    private Examples() {
    }

    static String read(String name) {
        try (InputStream in = Examples.class.getResourceAsStream("/policies/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A default-drop document with these rules (JSON objects, comma-separated). */
    static String rules(String rules) {
        return "{\"defaultAction\":\"drop\",\"rules\":[" + rules + "]}";
    }

    /** A default-drop document with these gateways and no rules. */
    static String gateways(String gateways) {
        return "{\"defaultAction\":\"drop\",\"gateways\":[" + gateways + "]}";
    }

    /** A default-drop document with gateways and rules. */
    static String document(String gateways, String rules) {
        return "{\"defaultAction\":\"drop\",\"gateways\":[" + gateways + "],\"rules\":[" + rules + "]}";
    }

    /** A valid HTTP gateway; {@code extra} adds or overrides fields (JSON members, leading comma). */
    static String webGateway(String extra) {
        return "{\"name\":\"web\",\"protocol\":\"http\",\"address4\":\"198.18.100.1\",\"ports\":\"40000-40999\"" + extra + "}";
    }

    /** What the parser refuses the document for. */
    static List<Violation> violationsOf(String json) {
        try {
            PolicyParser.parse(json);
        } catch (PolicyRejectedException e) {
            return e.violations();
        }
        throw new AssertionError("accepted: " + json);
    }
}
