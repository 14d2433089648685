package io.xdpgate.gateways.http;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.GatewayFactory;
import io.xdpgate.gateways.spi.Transport;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Makes {@link HttpGateway}s for the policy's {@code "protocol": "http"} gateways; config keys in {@link HttpGatewayConfig#fromMap}. */
public final class HttpGatewayFactory implements GatewayFactory {
    @Override
    public String protocol() {
        return "http";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP);
    }

    @Override
    public List<String> configKeys() {
        return HttpGatewayConfig.KEYS;
    }

    @Override
    public ApplicationGateway create(Map<String, Object> config) {
        return new HttpGateway(HttpGatewayConfig.fromMap(config));
    }
}
