package io.xdpgate.gateways.smtp;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The SMTP commands the gateway knows. Any other verb is refused as unrecognized; of these, only
 * the config's {@code allowCommands} reach the server.
 *
 * <p>{@code groupEnd}: RFC 2920 3.1 (and RFC 3207 for STARTTLS, RFC 4954 for AUTH): the command
 * changes the dialog's state in a way the client must see the reply to, so it ends a pipelined
 * group and nothing may follow it before its reply. The others (MAIL, RCPT, RSET, BDAT) may be
 * followed at once, when the server offered PIPELINING after EHLO.
 */
public enum SmtpVerb {
    EHLO(true), HELO(true), MAIL(false), RCPT(false), DATA(true), BDAT(false), RSET(false), NOOP(true),
    QUIT(true), HELP(true), VRFY(true), EXPN(true), STARTTLS(true), AUTH(true), ETRN(true), XCLIENT(true),
    XFORWARD(true);

    final boolean groupEnd;

    SmtpVerb(boolean groupEnd) {
        this.groupEnd = groupEnd;
    }

    /** The verb named {@code word} (any case), or null. */
    static SmtpVerb of(String word) {
        for (SmtpVerb v : values()) {
            if (v.name().equalsIgnoreCase(word)) {
                return v;
            }
        }
        return null;
    }

    static String known() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
