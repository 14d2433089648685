package io.xdpgate.controlplane.policy;

import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The example documents under src/test/resources/policies, and helpers to write small ones. */
public final class Examples {
    /** Valid documents that between them use every field. */
    public static final List<String> GOOD = List.of("issue-example.json", "every-field.json", "minimal.json");

    private Examples() {
    }

    public static String read(String name) {
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
    public static String rules(String rules) {
        return "{\"defaultAction\":\"drop\",\"rules\":[" + rules + "]}";
    }

    /** A default-drop document with these gateways and no rules. */
    public static String gateways(String gateways) {
        return "{\"defaultAction\":\"drop\",\"gateways\":[" + gateways + "]}";
    }

    /** A default-drop document with gateways and rules. */
    public static String document(String gateways, String rules) {
        return "{\"defaultAction\":\"drop\",\"gateways\":[" + gateways + "],\"rules\":[" + rules + "]}";
    }

    /** A valid HTTP gateway; {@code extra} adds or overrides fields (JSON members, leading comma). */
    public static String webGateway(String extra) {
        return "{\"name\":\"web\",\"protocol\":\"http\",\"address4\":\"198.18.100.1\",\"ports\":\"40000-40999\"" + extra + "}";
    }

    /** What the parser refuses the document for. */
    public static List<Violation> violationsOf(String json) {
        try {
            PolicyParser.parse(json);
        } catch (PolicyRejectedException e) {
            return e.violations();
        }
        throw new AssertionError("accepted: " + json);
    }
}
