package io.xdpgate.gateways.smtp;

import io.xdpgate.gateways.spi.ConfigReader;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an SMTP gateway enforces; the limits' defaults are Postfix's (smtpd_recipient_limit,
 * message_size_limit, line_length_limit).
 *
 * @param allowCommands  the commands that may reach the server; any other known command is
 *                       refused with 502, an unknown one with 500. STARTTLS among them lets a
 *                       connection switch to TLS, after which it is not inspected
 * @param maxRecipients  RCPT commands per message
 * @param maxMessageSize bytes of message text (and of a MAIL's declared SIZE)
 * @param maxLineLength  bytes of a command or reply line with its CRLF (message text lines are
 *                       not bounded, only their line ends checked)
 * @param replyOnDeny    a refusal is answered with its reply code before the reset
 */
public record SmtpGatewayConfig(Set<SmtpVerb> allowCommands, int maxRecipients, int maxMessageSize,
                                int maxLineLength, boolean replyOnDeny) {
    public static final SmtpGatewayConfig DEFAULTS = new SmtpGatewayConfig(
            EnumSet.of(SmtpVerb.EHLO, SmtpVerb.HELO, SmtpVerb.MAIL, SmtpVerb.RCPT, SmtpVerb.DATA, SmtpVerb.BDAT,
                    SmtpVerb.RSET, SmtpVerb.NOOP, SmtpVerb.QUIT, SmtpVerb.HELP, SmtpVerb.STARTTLS, SmtpVerb.AUTH),
            1000, 10_240_000, 2048, true);

    /** The keys {@link #fromMap} knows, in the order the README lists them. */
    public static final List<String> KEYS = List.of("allowCommands", "maxRecipients", "maxMessageSize",
            "maxLineLength", "onDeny");

    public SmtpGatewayConfig {
        allowCommands = allowCommands.isEmpty() ? EnumSet.noneOf(SmtpVerb.class) : EnumSet.copyOf(allowCommands);
    }

    /** Reads a policy's gateway {@code config}; null or empty means {@link #DEFAULTS}. */
    public static SmtpGatewayConfig fromMap(Map<String, ?> config) {
        ConfigReader r = new ConfigReader(config, KEYS);
        Set<SmtpVerb> commands = EnumSet.noneOf(SmtpVerb.class);
        if (r.has("allowCommands")) {
            for (String s : r.strings("allowCommands", List.of(), w -> SmtpVerb.of(w) != null,
                    "an SMTP command (" + SmtpVerb.known() + ")", false)) {
                commands.add(SmtpVerb.of(s));
            }
        } else {
            commands = DEFAULTS.allowCommands();
        }
        int recipients = r.positive("maxRecipients", DEFAULTS.maxRecipients());
        int size = r.positive("maxMessageSize", DEFAULTS.maxMessageSize());
        int line = r.integer("maxLineLength", DEFAULTS.maxLineLength(), 512, 65536, "an integer from 512 to 65536");
        boolean reply = r.oneOf("onDeny", DEFAULTS.replyOnDeny(), Map.of("reply", true, "reset", false));
        r.done();
        return new SmtpGatewayConfig(commands, recipients, size, line, reply);
    }
}
