package io.xdpgate.gateways.smtp;

import io.xdpgate.gateways.text.Printable;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One handler per command (RFC 5321 4.1.1, RFC 3030 BDAT, RFC 3207 STARTTLS, RFC 4954 AUTH):
 * each checks its argument and the dialog's state, refuses with the reply code a server would
 * give, and otherwise moves the state on. The config's limits are the policy hooks: recipients
 * per message, message size (SIZE declared in MAIL, RFC 1870, and the text itself).
 */
final class CommandHandlers {
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    /** A SASL mechanism name (RFC 4422 3.1). */
    private static final Pattern MECHANISM = Pattern.compile("[A-Za-z0-9_-]{1,20}");

    /** A BDAT command's chunk: its length and whether it is the last. */
    record Chunk(long size, boolean last) {
    }

    private final SmtpGatewayConfig config;
    private final SmtpState state;

    CommandHandlers(SmtpGatewayConfig config, SmtpState state) {
        this.config = config;
        this.state = state;
    }

    /** Handles {@code verb} with its {@code argument} (after the space, "" when none); BDAT's chunk, else null. */
    Chunk handle(SmtpVerb verb, String argument) throws Refused {
        switch (verb) {
            case EHLO:
            case HELO:
                greeting(verb, argument);
                return null;
            case MAIL:
                mail(argument);
                return null;
            case RCPT:
                rcpt(argument);
                return null;
            case DATA:
                noArgument(verb, argument);
                data();
                return null;
            case BDAT:
                return bdat(argument);
            case RSET:
                noArgument(verb, argument);
                state.endTransaction();
                return null;
            case QUIT:
                noArgument(verb, argument);
                return null;
            case STARTTLS:
                noArgument(verb, argument);
                startTls();
                return null;
            case AUTH:
                auth(argument);
                return null;
            case VRFY:
            case EXPN:
            case ETRN:
                if (argument.isEmpty()) {
                    throw new Refused(SmtpRefusal.parameters("syntax: " + verb + " <argument>"));
                }
                return null;
            default: // NOOP, HELP, XCLIENT, XFORWARD: the server judges their arguments
                return null;
        }
    }

    private static void noArgument(SmtpVerb verb, String argument) throws Refused {
        if (!argument.isEmpty()) {
            throw new Refused(SmtpRefusal.parameters("syntax: " + verb + " takes no argument"));
        }
    }

    private void greeting(SmtpVerb verb, String argument) throws Refused {
        if (argument.isEmpty() || argument.indexOf(' ') >= 0) {
            throw new Refused(SmtpRefusal.parameters("syntax: " + verb + " <domain or address literal>"));
        }
        state.endTransaction(); // an EHLO or HELO resets the dialog as RSET does (RFC 5321 4.1.4)
    }

    private void mail(String argument) throws Refused {
        if (!state.greeted()) {
            throw new Refused(SmtpRefusal.sequence("MAIL before EHLO or HELO"));
        }
        if (state.inTransaction()) {
            throw new Refused(SmtpRefusal.sequence("nested MAIL: a transaction is under way"));
        }
        EnvelopeArgument a = EnvelopeArgument.read("MAIL", "FROM:", argument);
        String size = a.params().get("SIZE");
        if (a.params().containsKey("SIZE")) {
            if (size == null || !NUMBER.matcher(size).matches()) {
                throw new Refused(SmtpRefusal.parameters("invalid SIZE \"" + Printable.shortened(String.valueOf(size)) + "\""));
            }
            if (Long.parseLong(size) > config.maxMessageSize()) {
                throw new Refused(SmtpRefusal.tooBig("declared SIZE " + size + " exceeds " + config.maxMessageSize()
                        + " bytes (maxMessageSize)"));
            }
        }
        String body = a.params().get("BODY");
        if (a.params().containsKey("BODY")
                && (body == null || !Set.of("7BIT", "8BITMIME", "BINARYMIME").contains(body.toUpperCase(Locale.ROOT)))) {
            throw new Refused(SmtpRefusal.parameters("invalid BODY \"" + Printable.shortened(String.valueOf(body)) + "\""));
        }
        boolean binary = body != null && body.equalsIgnoreCase("BINARYMIME");
        if (binary && !state.offers("BINARYMIME")) {
            throw new Refused(SmtpRefusal.parameters("BODY=BINARYMIME, but the server did not offer BINARYMIME"));
        }
        state.beginTransaction(binary);
    }

    private void rcpt(String argument) throws Refused {
        if (!state.inTransaction()) {
            throw new Refused(SmtpRefusal.sequence("RCPT before MAIL"));
        }
        EnvelopeArgument a = EnvelopeArgument.read("RCPT", "TO:", argument);
        if (a.path().isEmpty()) {
            throw new Refused(SmtpRefusal.parameters("the null path <> is no recipient"));
        }
        if (state.recipients() >= config.maxRecipients()) {
            // RFC 5321 4.5.3.1.10: too many recipients is 452, a temporary failure
            throw new Refused(new SmtpRefusal(452, "4.5.3", "more than " + config.maxRecipients()
                    + " recipients (maxRecipients)"));
        }
        state.recipientAdded();
    }

    private void data() throws Refused {
        if (state.chunked()) {
            throw new Refused(SmtpRefusal.sequence("DATA in a transaction that used BDAT"));
        }
        if (!state.recipientSent()) {
            throw new Refused(SmtpRefusal.sequence(state.inTransaction() ? "DATA before RCPT" : "DATA before MAIL"));
        }
        if (state.binaryBody()) {
            throw new Refused(SmtpRefusal.sequence("DATA for a BODY=BINARYMIME message (only BDAT may carry it)"));
        }
    }

    private Chunk bdat(String argument) throws Refused {
        if (!state.offers("CHUNKING")) {
            // a server without CHUNKING would read the chunk as commands the gateway never judged
            throw new Refused(SmtpRefusal.sequence("BDAT, but the server did not offer CHUNKING"));
        }
        String[] words = argument.split(" ", -1);
        if (words.length > 2 || !NUMBER.matcher(words[0]).matches()
                || (words.length == 2 && !words[1].equalsIgnoreCase("LAST"))) {
            throw new Refused(SmtpRefusal.parameters("syntax: BDAT <size> [LAST]"));
        }
        if (!state.recipientSent()) {
            throw new Refused(SmtpRefusal.sequence(state.inTransaction() ? "BDAT before RCPT" : "BDAT before MAIL"));
        }
        long size = Long.parseLong(words[0]);
        MessageText text = state.chunks(config.maxMessageSize());
        if (text.size() + size > config.maxMessageSize()) {
            throw new Refused(SmtpRefusal.tooBig("message larger than " + config.maxMessageSize()
                    + " bytes (maxMessageSize)"));
        }
        return new Chunk(size, words.length == 2);
    }

    private void startTls() throws Refused {
        if (!state.greeted()) {
            throw new Refused(SmtpRefusal.sequence("STARTTLS before EHLO"));
        }
        if (state.inTransaction()) {
            throw new Refused(SmtpRefusal.sequence("STARTTLS inside a mail transaction"));
        }
    }

    private void auth(String argument) throws Refused {
        if (!state.greeted()) {
            throw new Refused(SmtpRefusal.sequence("AUTH before EHLO"));
        }
        if (state.isAuthenticated()) {
            throw new Refused(SmtpRefusal.sequence("AUTH after a successful AUTH"));
        }
        if (state.inTransaction()) {
            throw new Refused(SmtpRefusal.sequence("AUTH inside a mail transaction"));
        }
        String[] words = argument.split(" ", -1);
        if (words.length > 2 || !MECHANISM.matcher(words[0]).matches()
                || (words.length == 2 && !SaslLine.valid(words[1]))) {
            throw new Refused(SmtpRefusal.parameters("syntax: AUTH <mechanism> [initial-response]"));
        }
    }
}
