package io.xdpgate.gateways.smtp;

import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import io.xdpgate.gateways.text.CrlfLineReader;
import io.xdpgate.gateways.text.LineFormatException;
import io.xdpgate.gateways.text.Printable;
import java.nio.ByteBuffer;

/**
 * One SMTP connection through the gateway. Client bytes pass once judged: a command line's end
 * (its CRLF, on which a server acts) when the whole line is accepted, the bytes before it as they
 * come (bare CR and LF are refused at the byte); message text as it is read, a CR or a dot that
 * could begin the terminator held until the next byte decides. Server replies the same way.
 *
 * <p>Whatever the gateway refuses ends the connection: the client gets the reply a server would
 * give ({@link SmtpRefusal}; none with {@code onDeny: reset}), the server never gets the refused
 * bytes, and both ends are reset. A server reply the gateway cannot follow ends it too, without
 * an answer. After the 220 to an allowed STARTTLS the connection is let through uninspected; a
 * server that sent anything after that 220 in the same bytes is refused (its plaintext would
 * reach the client as if under TLS).
 */
final class SmtpSession implements GatewaySession {
    private final SmtpGatewayConfig config;
    private final SmtpDialog dialog;
    private final CrlfLineReader clientLines;
    private final CrlfLineReader serverLines;
    private final ReplyReader replies = new ReplyReader();
    private long clientNext;
    private long clientApproved;
    private long serverNext;
    private long serverApproved;
    private Verdict settled;

    SmtpSession(SmtpGatewayConfig config) {
        this.config = config;
        this.dialog = new SmtpDialog(config);
        this.clientLines = new CrlfLineReader(config.maxLineLength());
        this.serverLines = new CrlfLineReader(config.maxLineLength());
    }

    @Override
    public Verdict onClientBytes(long offset, ByteBuffer bytes) {
        if (settled != null) {
            return settled;
        }
        if (offset != clientNext) {
            return settled = Verdict.deny("client bytes out of order: expected stream offset " + clientNext
                    + ", got " + offset);
        }
        int start = bytes.position();
        clientNext += bytes.remaining();
        try {
            while (bytes.hasRemaining()) {
                if (dialog.sends() == SmtpDialog.ClientSends.MESSAGE || dialog.sends() == SmtpDialog.ClientSends.CHUNK) {
                    dialog.text(bytes);
                } else {
                    if (!clientLines.midLine()) {
                        dialog.lineStarts();
                    }
                    String line = clientLines.next(bytes);
                    if (line != null) {
                        dialog.line(line);
                    }
                }
                clientApproved = offset + bytes.position() - start - dialog.undecidedText() - clientLines.undecided();
            }
        } catch (Refused r) {
            return settled = refuse(r.refusal);
        } catch (LineFormatException e) {
            return settled = refuse(SmtpRefusal.syntax(e.getMessage()));
        }
        return Verdict.approve(clientApproved);
    }

    @Override
    public Verdict onServerBytes(long offset, ByteBuffer bytes) {
        if (settled != null) {
            return settled;
        }
        if (offset != serverNext) {
            return settled = Verdict.deny("server bytes out of order: expected stream offset " + serverNext
                    + ", got " + offset);
        }
        int start = bytes.position();
        serverNext += bytes.remaining();
        try {
            while (bytes.hasRemaining()) {
                String line = serverLines.next(bytes);
                serverApproved = offset + bytes.position() - start - serverLines.undecided();
                if (line == null) {
                    break;
                }
                SmtpReply reply = replies.line(line);
                if (reply != null && dialog.reply(reply)) {
                    if (bytes.hasRemaining()) {
                        return settled = Verdict.deny("invalid reply: bytes after the 220 to STARTTLS");
                    }
                    return settled = Verdict.allowFlow();
                }
            }
        } catch (LineFormatException | SmtpFormatException e) {
            return settled = Verdict.deny("invalid reply: " + Printable.escape(e.getMessage()));
        }
        return Verdict.approve(serverApproved);
    }

    private Verdict refuse(SmtpRefusal r) {
        return Verdict.deny(r.code() + " " + r.text(), config.replyOnDeny() ? r.bytes() : null);
    }
}
