package io.xdpgate.gateways.smtp;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.GatewayFactory;
import io.xdpgate.gateways.spi.Transport;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Makes {@link SmtpGateway}s for the policy's {@code "protocol": "smtp"} gateways; config keys in {@link SmtpGatewayConfig#fromMap}. */
public final class SmtpGatewayFactory implements GatewayFactory {
    @Override
    public String protocol() {
        return "smtp";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP);
    }

    @Override
    public List<String> configKeys() {
        return SmtpGatewayConfig.KEYS;
    }

    @Override
    public ApplicationGateway create(Map<String, Object> config) {
        return new SmtpGateway(SmtpGatewayConfig.fromMap(config));
    }
}
