package io.xdpgate.gateways.tls;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.GatewayFactory;
import io.xdpgate.gateways.spi.Transport;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Makes {@link TlsGateway}s for the policy's {@code "protocol": "tls"} gateways; config keys in {@link TlsGatewayConfig#fromMap}. */
public final class TlsGatewayFactory implements GatewayFactory {
    @Override
    public String protocol() {
        return "tls";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP);
    }

    @Override
    public List<String> configKeys() {
        return TlsGatewayConfig.KEYS;
    }

    @Override
    public ApplicationGateway create(Map<String, Object> config) {
        return new TlsGateway(TlsGatewayConfig.fromMap(config));
    }
}
