package io.xdpgate.gateways.tls;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;

/**
 * The TLS gateway: each connection judged by the server name of its ClientHello (read across
 * TCP segments and TLS records), then passed through unparsed or refused. No decryption.
 */
public final class TlsGateway implements ApplicationGateway {
    private final TlsGatewayConfig config;

    public TlsGateway(TlsGatewayConfig config) {
        this.config = config;
    }

    @Override
    public GatewaySession open(FlowContext flow) {
        return new TlsSession(config);
    }
}
