package io.xdpgate.gateways.ftp;

import io.xdpgate.gateways.spi.Expectation;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Transport;
import io.xdpgate.gateways.spi.Verdict;
import io.xdpgate.gateways.text.CrlfLineReader;
import io.xdpgate.gateways.text.LineFormatException;
import io.xdpgate.gateways.text.Printable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * One FTP control connection (RFC 959): commands read as CRLF lines, only at line starts; the
 * server's replies followed, each final reply answering the oldest command awaiting one. The data
 * connections it announces become expectations in the packet processor: PORT and EPRT (the
 * server will connect to the client) when the command passes, 227 and 229 (the client will
 * connect to the server) when the reply to PASV or EPSV passes.
 *
 * <p>Refused (FTP bounce, RFC 2577): a PORT or EPRT naming another address than the client's, a
 * 227 naming another than the server's, a port below 1024, a 227 or 229 to anything but PASV or
 * EPSV. A refusal ends the connection; the client gets the reply a server would give (421 when
 * the server's side was at fault). After the 234 to an allowed AUTH (RFC 4217) the connection
 * goes uninspected: its commands, and the data connections they would announce, are encrypted.
 */
final class FtpControlSession implements GatewaySession {
    private final FtpGateway gateway;
    private final FtpGatewayConfig config;
    private final FlowContext flow;
    private final CrlfLineReader clientLines;
    private final CrlfLineReader serverLines;
    private final FtpReplyReader replies = new FtpReplyReader();
    /** The commands awaiting their final reply, oldest first; the greeting first of all. */
    private final ArrayDeque<String> awaiting = new ArrayDeque<>();
    private long clientNext;
    private long serverNext;
    private Verdict settled;

    FtpControlSession(FtpGateway gateway, FlowContext flow) {
        this.gateway = gateway;
        this.config = gateway.config();
        this.flow = flow;
        this.clientLines = new CrlfLineReader(config.maxLineLength());
        this.serverLines = new CrlfLineReader(config.maxLineLength());
        awaiting.add("");
    }

    @Override
    public Verdict onClientBytes(long offset, ByteBuffer bytes) {
        if (settled != null) {
            return settled;
        }
        if (offset != clientNext) {
            return settled = Verdict.deny("client bytes out of order: expected stream offset " + clientNext + ", got " + offset);
        }
        int start = bytes.position();
        clientNext += bytes.remaining();
        try {
            while (bytes.hasRemaining()) {
                String line = clientLines.next(bytes);
                if (line != null) {
                    command(line);
                }
            }
        } catch (FtpRefused r) {
            return settled = refuse(r);
        } catch (LineFormatException e) {
            return settled = refuse(FtpRefused.syntax(e.getMessage()));
        }
        // a partial line goes on ahead but for a CR: a server acts on a line at its LF, which
        // passes only with the whole line judged
        return Verdict.approve(offset + bytes.position() - start - clientLines.undecided());
    }

    @Override
    public Verdict onServerBytes(long offset, ByteBuffer bytes) {
        if (settled != null) {
            return settled;
        }
        if (offset != serverNext) {
            return settled = Verdict.deny("server bytes out of order: expected stream offset " + serverNext + ", got " + offset);
        }
        int start = bytes.position();
        serverNext += bytes.remaining();
        try {
            while (bytes.hasRemaining()) {
                String line = serverLines.next(bytes);
                FtpReplyReader.Reply reply = line == null ? null : replies.line(line);
                if (reply != null && reply(reply)) {
                    if (bytes.hasRemaining()) {
                        throw FtpRefused.server("bytes after the 234 to AUTH");
                    }
                    return settled = Verdict.allowFlow();
                }
            }
        } catch (FtpRefused r) {
            return settled = refuse(r);
        } catch (LineFormatException e) {
            return settled = refuse(FtpRefused.server(e.getMessage()));
        }
        return Verdict.approve(offset + bytes.position() - start - serverLines.undecided());
    }

    private void command(String line) throws FtpRefused {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < ' ' || c == 0x7f || c == 0xff) { // 0xff: Telnet IAC, which servers read differently
                throw FtpRefused.syntax("control byte in a command: " + Printable.shortened(line));
            }
        }
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1);
        if (!FtpCommands.KNOWN.contains(verb)) {
            throw FtpRefused.syntax(verb.isEmpty() ? "empty command line" : "command unrecognized: " + Printable.shortened(verb));
        }
        if (!config.allowCommands().contains(verb)) {
            throw FtpRefused.notAllowed(verb + " is not allowed (allowCommands)");
        }
        if (verb.equals("PORT") || verb.equals("EPRT")) {
            InetSocketAddress to = verb.equals("PORT") ? DataAddress.port(argument) : DataAddress.extended(argument);
            if (!to.getAddress().equals(flow.client().getAddress())) {
                gateway.count(FtpGateway.BOUNCE_REFUSED);
                throw FtpRefused.forParameter(verb + " names " + to.getAddress().getHostAddress()
                        + ", not the client's address (FTP bounce)");
            }
            expect(verb, flow.server().getAddress(), to);
        }
        awaiting.add(verb);
    }

    /** A whole reply; true when it starts TLS on the control connection (234 to an allowed AUTH). */
    private boolean reply(FtpReplyReader.Reply reply) throws FtpRefused {
        if (reply.code() < 200) {
            return false; // preliminary: the final reply to the same command follows
        }
        String to = awaiting.poll();
        if (to == null) {
            if (reply.code() == 421) {
                return false; // the server closes the connection
            }
            throw FtpRefused.server("reply " + reply.code() + " with no command awaiting one");
        }
        if (reply.code() == 227 || reply.code() == 229) {
            if (!(reply.code() == 227 ? to.equals("PASV") : to.equals("EPSV"))) {
                throw FtpRefused.server(reply.code() + " in reply to " + (to.isEmpty() ? "the greeting" : to));
            }
            InetAddress server = flow.server().getAddress();
            if (reply.code() == 227) {
                InetSocketAddress at = DataAddress.passive(reply.text());
                if (!at.getAddress().equals(server)) {
                    gateway.count(FtpGateway.BOUNCE_REFUSED);
                    throw FtpRefused.server("227 names " + at.getAddress().getHostAddress()
                            + ", not the server's address");
                }
                expect("227", flow.client().getAddress(), at);
            } else {
                expect("229", flow.client().getAddress(), new InetSocketAddress(server,
                        DataAddress.extendedPassive(reply.text())));
            }
        }
        return to.equals("AUTH") && reply.code() == 234;
    }

    private void expect(String what, InetAddress from, InetSocketAddress to) throws FtpRefused {
        boolean fromServer = what.startsWith("2");
        if (to.getPort() < 1024) {
            gateway.count(FtpGateway.LOW_PORT_REFUSED);
            String text = what + " names port " + to.getPort() + " (below 1024)";
            throw fromServer ? FtpRefused.server(text) : FtpRefused.forParameter(text);
        }
        Expectation wanted = new Expectation(Transport.TCP, from, to, config.inspectData(), config.expectTimeout());
        String why = flow.expectations().expect(wanted, config.maxDataChannels());
        if (why != null) {
            gateway.count(FtpGateway.EXPECT_REFUSED);
            throw new FtpRefused(425, "no data connection: " + why);
        }
        gateway.count(FtpGateway.EXPECT_GRANTED);
        if (config.inspectData()) {
            gateway.expectData(from, to);
        }
    }

    private Verdict refuse(FtpRefused r) {
        return Verdict.deny(r.code + " " + r.getMessage(), config.replyOnDeny() ? r.reply() : null);
    }
}
