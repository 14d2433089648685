package io.xdpgate.gateways.ftp;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.GatewayFactory;
import io.xdpgate.gateways.spi.Transport;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Makes {@link FtpGateway}s for the policy's {@code "protocol": "ftp"} gateways; config keys in {@link FtpGatewayConfig#fromMap}. */
public final class FtpGatewayFactory implements GatewayFactory {
    @Override
    public String protocol() {
        return "ftp";
    }

    @Override
    public Set<Transport> transports() {
        return Set.of(Transport.TCP);
    }

    @Override
    public List<String> configKeys() {
        return FtpGatewayConfig.KEYS;
    }

    @Override
    public ApplicationGateway create(Map<String, Object> config) {
        return new FtpGateway(FtpGatewayConfig.fromMap(config));
    }
}
