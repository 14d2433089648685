package io.xdpgate.gateways.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a protocol's gateway from the policy's gateway {@code config}. Found with
 * {@link java.util.ServiceLoader}, so a protocol is added as a class plus a
 * {@code META-INF/services} line, without touching the runtime.
 */
public interface GatewayFactory {
    /** The policy's {@code protocol} value this factory serves, e.g. "http". */
    String protocol();

    /** The transports its gateways take: a rule may redirect only these to it. */
    Set<Transport> transports();

    /** The keys its {@code config} knows (read with a {@link ConfigReader}), as the README lists them. */
    List<String> configKeys();

    /**
     * Checks {@code config} and builds the gateway; throws {@link IllegalArgumentException}
     * naming the offending key and why, so a policy with a bad config is refused whole.
     */
    ApplicationGateway create(Map<String, Object> config);
}
