package io.xdpgate.gateways.smtp;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;

/**
 * The SMTP gateway (RFC 5321): each connection's commands judged against the dialog's state and
 * the config, its message text checked for line ends only CRLF may make and for size, its
 * replies followed; STARTTLS, when allowed, ends the inspection.
 */
public final class SmtpGateway implements ApplicationGateway {
    private final SmtpGatewayConfig config;

    public SmtpGateway(SmtpGatewayConfig config) {
        this.config = config;
    }

    @Override
    public GatewaySession open(FlowContext flow) {
        return new SmtpSession(config);
    }
}
