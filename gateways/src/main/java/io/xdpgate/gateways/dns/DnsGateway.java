package io.xdpgate.gateways.dns;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.DatagramSession;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;

/**
 * The DNS gateway: queries judged by name, type, class and opcode, every message checked whole
 * ({@link DnsMessage}), responses passed only as answers to outstanding queries. Over UDP and
 * TCP alike.
 */
public final class DnsGateway implements ApplicationGateway {
    private final DnsGatewayConfig config;

    public DnsGateway(DnsGatewayConfig config) {
        this.config = config;
    }

    @Override
    public GatewaySession open(FlowContext flow) {
        return new DnsStreamSession(config);
    }

    @Override
    public DatagramSession openDatagrams(FlowContext flow) {
        return new DnsDatagramSession(config);
    }
}
