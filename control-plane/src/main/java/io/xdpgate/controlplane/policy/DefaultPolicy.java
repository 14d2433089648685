package io.xdpgate.controlplane.policy;

import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The policy shipped in the jar ({@code default-policy.json}) for the lab: default drop; ping,
 * the ICMP errors path MTU discovery needs, SSH from the internal side, web and DNS from the
 * client net to the server net (port 80 through the HTTP gateway "web", which refuses methods
 * other than GET/HEAD/POST and paths under /admin), telnet refused by name.
 */
public final class DefaultPolicy {
    public static final String RESOURCE = "/default-policy.json";

    private DefaultPolicy() {
    }

    public static byte[] json() {
        try (InputStream in = DefaultPolicy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public static PolicyDocument document() {
        return PolicyParser.parse(json());
    }
}
