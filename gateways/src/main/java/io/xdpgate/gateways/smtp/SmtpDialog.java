package io.xdpgate.gateways.smtp;

import io.xdpgate.gateways.text.Printable;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SMTP dialog of one connection as the gateway follows it: which client lines are commands,
 * SASL responses or message text, and which reply answers what. Commands go to their
 * {@link CommandHandlers}; the server's replies decide the switches only the server can make
 * (DATA's 354 starts the text, AUTH's 334 asks for a SASL line, STARTTLS's 220 starts TLS, EHLO's
 * 250 names the extensions), so a refused DATA or BDAT never makes the gateway read commands as
 * text.
 *
 * <p>Timing (RFC 2920): the client may send before a reply only when the server offered
 * PIPELINING after EHLO and what awaits its reply may be followed (MAIL, RCPT, RSET, BDAT, the
 * end of a message); a byte sent before the greeting, or before the reply to a group's last
 * command (EHLO, DATA, STARTTLS, AUTH, QUIT, ...), is refused at once, before it becomes part of a
 * line: after STARTTLS it would be the plaintext a server reads as if it came under TLS
 * (CVE-2011-0411), after DATA it would be text the gateway has not read as such.
 */
final class SmtpDialog {
    private static final Pattern VERB = Pattern.compile("[A-Za-z]{1,16}");

    /** What the client's next bytes are. */
    enum ClientSends { COMMANDS, SASL_RESPONSE, MESSAGE, CHUNK }

    /** Commands awaiting their replies beyond the recipients a group may carry. */
    private static final int PIPELINE_SLACK = 32;

    private final SmtpGatewayConfig config;
    private final SmtpState state = new SmtpState();
    private final CommandHandlers handlers;
    private final ArrayDeque<Awaiting> awaiting = new ArrayDeque<>();
    private ClientSends sends = ClientSends.COMMANDS;
    private MessageText text;
    private long chunkLeft;
    private boolean chunkLast;

    SmtpDialog(SmtpGatewayConfig config) {
        this.config = config;
        this.handlers = new CommandHandlers(config, state);
        awaiting.add(Awaiting.greeting());
    }

    ClientSends sends() {
        return sends;
    }

    /** The client begins a line: may it speak now? */
    void lineStarts() throws Refused {
        Awaiting last = awaiting.peekLast();
        if (last == null) {
            return;
        }
        if (last.groupEnd()) {
            throw new Refused(SmtpRefusal.sequence("sent before " + last.describe()));
        }
        if (!state.offers("PIPELINING")) {
            throw new Refused(SmtpRefusal.sequence("pipelined before " + last.describe()
                    + ", but the server did not offer PIPELINING after EHLO"));
        }
        if (awaiting.size() >= config.maxRecipients() + PIPELINE_SLACK) {
            throw new Refused(SmtpRefusal.sequence("more than " + awaiting.size() + " commands awaiting replies"));
        }
    }

    /** A whole client line (without CRLF) while {@link #sends()} is COMMANDS or SASL_RESPONSE. */
    void line(String line) throws Refused {
        if (sends == ClientSends.SASL_RESPONSE) {
            if (!line.isEmpty() && !SaslLine.valid(line)) {
                throw new Refused(SmtpRefusal.parameters("AUTH response is not base64 or \"*\""));
            }
            sends = ClientSends.COMMANDS;
            awaiting.add(new Awaiting(Awaiting.Step.SASL_RESPONSE, SmtpVerb.AUTH, state.transaction()));
            return;
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < ' ' || c == 0x7f) {
                throw new Refused(SmtpRefusal.syntax("control byte in a command: " + Printable.shortened(line)));
            }
        }
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        SmtpVerb verb = VERB.matcher(word).matches() ? SmtpVerb.of(word) : null;
        if (verb == null) {
            throw new Refused(SmtpRefusal.syntax(word.isEmpty() ? "empty command line"
                    : "command unrecognized: " + Printable.shortened(word.toUpperCase(Locale.ROOT))));
        }
        if (!config.allowCommands().contains(verb)) {
            throw new Refused(SmtpRefusal.notAllowed(verb + " is not allowed (allowCommands)"));
        }
        CommandHandlers.Chunk chunk = handlers.handle(verb, space < 0 ? "" : line.substring(space + 1));
        awaiting.add(new Awaiting(Awaiting.Step.COMMAND, verb, state.transaction()));
        if (chunk != null) {
            text = state.chunks(config.maxMessageSize());
            chunkLeft = chunk.size();
            chunkLast = chunk.last();
            chunkRead();
        }
    }

    /** Message text while {@link #sends()} is MESSAGE or CHUNK: reads what belongs to it from {@code in}. */
    void text(ByteBuffer in) throws Refused {
        if (sends == ClientSends.MESSAGE) {
            if (text.scan(in, Long.MAX_VALUE)) {
                sends = ClientSends.COMMANDS;
                awaiting.add(new Awaiting(Awaiting.Step.MESSAGE_END, SmtpVerb.DATA, state.transaction()));
                state.endTransaction();
            }
            return;
        }
        int before = in.position();
        text.scan(in, chunkLeft);
        chunkLeft -= in.position() - before;
        chunkRead();
    }

    /** Bytes at the end of the text read so far that must wait for the next ones ({@link MessageText#undecided}). */
    int undecidedText() {
        return sends == ClientSends.MESSAGE || sends == ClientSends.CHUNK ? text.undecided() : 0;
    }

    private void chunkRead() throws Refused {
        if (chunkLeft > 0) {
            sends = ClientSends.CHUNK;
            return;
        }
        sends = ClientSends.COMMANDS;
        if (chunkLast) {
            text.finish();
            state.endTransaction();
        }
    }

    /**
     * A whole server reply; true when it starts TLS (the 220 to an allowed STARTTLS), after which
     * nothing more is SMTP.
     */
    boolean reply(SmtpReply reply) throws SmtpFormatException {
        Awaiting a = awaiting.poll();
        if (a == null) {
            if (reply.code() == 421) {
                return false; // the server closes the connection (RFC 5321 3.8)
            }
            throw new SmtpFormatException("reply " + reply.code() + " with no command awaiting one");
        }
        if (a.step() == Awaiting.Step.GREETING) {
            return false;
        }
        switch (a.verb()) {
            case EHLO:
                if (reply.positive()) {
                    state.greeted(keywords(reply));
                }
                return false;
            case HELO:
                if (reply.positive()) {
                    state.greeted(Set.of());
                }
                return false;
            case MAIL:
                if (!reply.positive()) {
                    state.mailRefused(a.transaction());
                }
                return false;
            case RCPT:
                if (!reply.positive()) {
                    state.recipientRefused(a.transaction());
                }
                return false;
            case DATA:
                if (a.step() == Awaiting.Step.COMMAND && reply.code() == 354) {
                    sends = ClientSends.MESSAGE;
                    text = MessageText.data(config.maxMessageSize());
                }
                return false;
            case AUTH:
                if (reply.code() == 334) {
                    sends = ClientSends.SASL_RESPONSE;
                } else if (reply.code() == 235) {
                    state.authenticated();
                }
                return false;
            case STARTTLS:
                return reply.code() == 220;
            default:
                return false;
        }
    }

    /** The extension keywords of an EHLO reply: the first word of each line after the first (RFC 5321 4.1.1.1). */
    private static Set<String> keywords(SmtpReply reply) {
        Set<String> keywords = new HashSet<>();
        for (String t : reply.texts().subList(1, reply.texts().size())) {
            int space = t.indexOf(' ');
            keywords.add((space < 0 ? t : t.substring(0, space)).toUpperCase(Locale.ROOT));
        }
        return keywords;
    }
}
