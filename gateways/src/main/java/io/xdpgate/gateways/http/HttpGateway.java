package io.xdpgate.gateways.http;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The HTTP/1.1 application gateway: each connection gets a request parser that checks every
 * (pipelined) request against the {@link HttpPolicy} and a response parser that checks the
 * server's framing. Bytes are approved as they are proven to be part of allowed, well-framed
 * messages; see {@link HttpGatewaySession} for exactly when.
 */
public final class HttpGateway implements ApplicationGateway {
    private final HttpGatewayConfig config;

    public HttpGateway(HttpGatewayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public HttpGatewayConfig config() {
        return config;
    }

    @Override
    public GatewaySession open(FlowContext flow) {
        return new HttpGatewaySession(config);
    }

    /**
     * The answer sent to a refused client: {@code status} with a one-line plain-text body
     * {@code xdpgate: <reason>}; the body is left out (its length still announced) when
     * {@code withBody} is false, as a response to HEAD must be.
     */
    static byte[] refusal(int status, String reason, boolean withBody) {
        String phrase = switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            default -> throw new IllegalArgumentException("status " + status);
        };
        String body = "xdpgate: " + reason + "\n";
        String head = "HTTP/1.1 " + status + " " + phrase + "\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        return (withBody ? head + body : head).getBytes(StandardCharsets.US_ASCII);
    }
}
