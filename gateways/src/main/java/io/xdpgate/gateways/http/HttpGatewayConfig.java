package io.xdpgate.gateways.http;

import java.util.Objects;

/**
 * What an HTTP gateway enforces.
 *
 * @param policy       which requests may pass
 * @param limits       bounds on request and response heads
 * @param onDeny       how a refused connection ends
 * @param allowUpgrade whether a 101 Switching Protocols (or a 2xx answer to CONNECT) may turn the
 *                     connection into an uninspected tunnel; when false the connection is refused there
 */
public record HttpGatewayConfig(HttpPolicy policy, HttpLimits limits, DenyMode onDeny, boolean allowUpgrade) {
    /** How a refused connection ends. Either way both ends are reset; nothing held is delivered. */
    public enum DenyMode {
        /**
         * The client is first answered {@code 403 Forbidden} (policy refusals, refused upgrades) or
         * {@code 400 Bad Request} (requests the parser refuses), naming the reason. Refused responses
         * are reset without an answer.
         */
        RESPOND,
        /** Reset only. */
        RESET
    }

    /** Every request allowed, default limits, 403/400 answers, upgrades refused. */
    public static final HttpGatewayConfig DEFAULTS =
            new HttpGatewayConfig(HttpPolicy.ALLOW_ALL, HttpLimits.DEFAULTS, DenyMode.RESPOND, false);

    public HttpGatewayConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(onDeny, "onDeny");
    }
}
