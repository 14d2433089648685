package io.xdpgate.gateways.dns;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.GatewayFactory;
import io.xdpgate.gateways.spi.Transport;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Makes {@link DnsGateway}s for the policy's {@code "protocol": "dns"} gateways; config keys in {@link DnsGatewayConfig#fromMap}. */
public final class DnsGatewayFactory implements GatewayFactory {
    @Override
    public String protocol() {
        return "dns";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.UDP, Transport.TCP);
    }

    @Override
    public List<String> configKeys() {
        return DnsGatewayConfig.KEYS;
    }

    @Override
    public ApplicationGateway create(Map<String, Object> config) {
        return new DnsGateway(DnsGatewayConfig.fromMap(config));
    }
}
