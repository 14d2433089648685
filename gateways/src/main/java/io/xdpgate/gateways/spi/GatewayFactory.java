package io.xdpgate.gateways.spi;

import java.util.Map;

/**
 * Makes a protocol's gateway from the policy's gateway {@code config}. Found with
 * {@link java.util.ServiceLoader}, so a protocol is added as a class plus a
 * {@code META-INF/services} line, without touching the runtime.
 */
public interface GatewayFactory {
    /** The policy's {@code protocol} value this factory serves, e.g. "http". */
    String protocol();

    /**
     * Checks {@code config} and builds the gateway; throws {@link IllegalArgumentException}
     * naming the offending key and why, so a policy with a bad config is refused whole.
     */
    ApplicationGateway create(Map<String, Object> config);
}
