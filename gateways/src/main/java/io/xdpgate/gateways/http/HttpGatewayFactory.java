package io.xdpgate.gateways.http;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.GatewayFactory;
import java.util.Map;

/** Makes {@link HttpGateway}s for the policy's {@code "protocol": "http"} gateways; config keys in {@link HttpGatewayConfig#fromMap}. */
public final class HttpGatewayFactory implements GatewayFactory {
    @Override
    public String protocol() {
        return "http";
    }

    @Override
    public ApplicationGateway create(Map<String, Object> config) {
        return new HttpGateway(HttpGatewayConfig.fromMap(config));
    }
}
