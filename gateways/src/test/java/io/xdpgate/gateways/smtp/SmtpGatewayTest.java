package io.xdpgate.gateways.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.SessionTranscript;
import io.xdpgate.gateways.spi.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SMTP gateway over whole dialogs, each fed in one piece and again cut into pieces of every
 * size: what passes passes whole, what is refused is refused with the same reply and reason, and
 * nothing from the mark ({@link SessionTranscript#MARK}) on ever reaches the server: the end of a refused line (on
 * which a server would act), a bare CR or LF, a byte sent when the client had to wait.
 */
class SmtpGatewayTest {
    static final String GREET = "S:220 mail.lab.example ESMTP\r\n";
    static final String EHLO = "C:EHLO client.lab.example\r\n";
    static final String EHLO_OK = "S:250-mail.lab.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
            + "250-STARTTLS\r\n250-AUTH PLAIN\r\n250-CHUNKING\r\n250 8BITMIME\r\n";
    static final String EHLO_PLAIN = "S:250-mail.lab.example\r\n250 8BITMIME\r\n";
    static final String MAIL = "C:MAIL FROM:<alice@lab.example>\r\n";
    static final String RCPT = "C:RCPT TO:<bob@lab.example>\r\n";
    static final String OK = "S:250 2.0.0 Ok\r\n";
    static final String GO = "S:354 End data with <CR><LF>.<CR><LF>\r\n";

    private static GatewaySession session(Map<String, Object> config) {
        return new SmtpGatewayFactory().create(config).open(null);
    }

    private static SessionTranscript.Outcome run(List<String> steps) {
        return SessionTranscript.run(() -> session(Map.of()), steps, Integer.MAX_VALUE);
    }

    static List<String> steps(String... steps) {
        return List.of(steps);
    }

    static List<String> greeted(String... more) {
        List<String> s = new ArrayList<>(List.of(GREET, EHLO, EHLO_OK));
        s.addAll(List.of(more));
        return s;
    }

    static List<String> inData(String... more) {
        List<String> s = greeted(MAIL, OK, RCPT, OK, "C:DATA\r\n", GO);
        s.addAll(List.of(more));
        return s;
    }

    static Stream<Arguments> passing() {
        return Stream.of(
                Arguments.of("a whole message in lock step, dot-stuffed line and empty lines",
                        inData("C:Subject: hi\r\n\r\n..leading dot\r\n.\r\n", OK, "C:QUIT\r\n", "S:221 2.0.0 Bye\r\n")),
                Arguments.of("a pipelined group after EHLO, the QUIT pipelined after the text",
                        greeted("C:MAIL FROM:<a@lab.example> SIZE=100 BODY=8BITMIME\r\nRCPT TO:<b@lab.example>\r\n"
                                        + "RCPT TO:<postmaster>\r\nDATA\r\n",
                                "S:250 Ok\r\n250 Ok\r\n250 Ok\r\n354 go\r\n", "C:hello\r\n.\r\nQUIT\r\n",
                                "S:250 queued\r\n221 Bye\r\n")),
                Arguments.of("HELO in lock step", steps(GREET, "C:HELO client\r\n", "S:250 mail\r\n", MAIL, OK, RCPT,
                        OK, "C:DATA\r\n", GO, "C:x\r\n.\r\n", OK)),
                Arguments.of("an empty message", inData("C:.\r\n", OK)),
                Arguments.of("BDAT chunks, a CRLF split between two of them",
                        greeted(MAIL, RCPT, "C:BDAT 7\r\nHi\r\nab\r", "C:BDAT 3 LAST\r\n\nc.", "S:250 Ok\r\n250 Ok\r\n"
                                + "250 Ok\r\n250 Ok\r\n")),
                Arguments.of("an empty last BDAT chunk", greeted(MAIL, RCPT, "C:BDAT 0 LAST\r\n", OK, OK, OK, MAIL, OK)),
                Arguments.of("AUTH PLAIN with a challenge and a response", greeted("C:AUTH PLAIN\r\n", "S:334 \r\n",
                        "C:AGFsaWNlAHNlY3JldA==\r\n", "S:235 2.7.0 Authentication successful\r\n", MAIL, OK)),
                Arguments.of("AUTH cancelled with *", greeted("C:AUTH LOGIN\r\n", "S:334 VXNlcm5hbWU6\r\n", "C:*\r\n",
                        "S:501 cancelled\r\n", "C:NOOP\r\n", OK)),
                Arguments.of("a MAIL the server refused leaves no transaction", greeted(MAIL, "S:550 no\r\n",
                        MAIL, OK)),
                Arguments.of("a DATA the server refused leaves the client in commands", greeted(MAIL, OK, RCPT,
                        "S:550 no such user\r\n", "C:DATA\r\n", "S:554 no valid recipients\r\n", "C:RSET\r\n", OK)),
                Arguments.of("a 421 the server sends unasked", greeted("S:421 4.3.2 shutting down\r\n")),
                Arguments.of("HELP and NOOP with arguments", greeted("C:HELP MAIL\r\n", "S:214 see RFC 5321\r\n",
                        "C:NOOP anything\r\n", OK)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passing")
    void passesWholeHoweverCut(String name, List<String> steps) {
        SessionTranscript.everyCut(() -> session(Map.of()), steps,
                (piece, o) -> assertTrue(o.passedWhole(), "pieces of " + piece + ": " + o));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("a client talking before the greeting", steps("C:\u00a6EHLO x\r\n", GREET),
                        Map.of(), "503 5.5.1 sent before the server's greeting"),
                Arguments.of("VRFY", greeted("C:VRFY root\u00a6\r\n"), Map.of(), "502 5.5.1 VRFY is not allowed (allowCommands)"),
                Arguments.of("EXPN", greeted("C:EXPN staff\u00a6\r\n"), Map.of(), "502 5.5.1 EXPN is not allowed (allowCommands)"),
                Arguments.of("XCLIENT, known but not allowed", greeted("C:XCLIENT ADDR=1.2.3.4\u00a6\r\n"), Map.of(),
                        "502 5.5.1 XCLIENT is not allowed (allowCommands)"),
                Arguments.of("an unknown verb", greeted("C:TURN\u00a6\r\n"), Map.of(), "500 5.5.2 command unrecognized: TURN"),
                Arguments.of("a bare LF ending a command", greeted("C:NOOP\u00a6\nVRFY root\r\n"), Map.of(),
                        "500 5.5.2 bare LF in a line (only CRLF ends a line)"),
                Arguments.of("a bare CR inside a command", greeted("C:NOOP\u00a6\rVRFY root\r\n"), Map.of(),
                        "500 5.5.2 bare CR in a line (only CRLF ends a line)"),
                Arguments.of("a control byte in a command", greeted("C:NOOP a\tb\u00a6\r\n"), Map.of(),
                        "500 5.5.2 control byte in a command: NOOP a\\x09b"),
                Arguments.of("a command line over maxLineLength", greeted("C:NOOP " + "a".repeat(600) + "|\r\n"),
                        Map.of("maxLineLength", 512), "500 5.5.2 line longer than 512 bytes"),
                Arguments.of("MAIL before EHLO", steps(GREET, "C:MAIL FROM:<a@b>\u00a6\r\n"), Map.of(),
                        "503 5.5.1 MAIL before EHLO or HELO"),
                Arguments.of("RCPT before MAIL", greeted("C:RCPT TO:<b@c>\u00a6\r\n"), Map.of(), "503 5.5.1 RCPT before MAIL"),
                Arguments.of("DATA before RCPT", greeted(MAIL, OK, "C:DATA\u00a6\r\n"), Map.of(), "503 5.5.1 DATA before RCPT"),
                Arguments.of("a nested MAIL", greeted(MAIL, OK, "C:MAIL FROM:<c@d>\u00a6\r\n"), Map.of(),
                        "503 5.5.1 nested MAIL: a transaction is under way"),
                Arguments.of("pipelining after HELO", steps(GREET, "C:HELO c\r\n", "S:250 mail\r\n", MAIL, "C:\u00a6" + RCPT.substring(2)),
                        Map.of(), "503 5.5.1 pipelined before the reply to MAIL, but the server did not offer PIPELINING after EHLO"),
                Arguments.of("pipelining when EHLO offered none", steps(GREET, EHLO, EHLO_PLAIN, MAIL, "C:\u00a6" + RCPT.substring(2)),
                        Map.of(), "503 5.5.1 pipelined before the reply to MAIL, but the server did not offer PIPELINING after EHLO"),
                Arguments.of("text sent before DATA's 354", greeted(MAIL, OK, RCPT, OK, "C:DATA\r\n\u00a6Subject: x\r\n"),
                        Map.of(), "503 5.5.1 sent before the reply to DATA"),
                Arguments.of("commands as text after a refused DATA", greeted(MAIL, OK, RCPT, OK, "C:DATA\r\n",
                        "S:451 try later\r\n", "C:Subject: x\u00a6\r\n"), Map.of(), "500 5.5.2 command unrecognized: SUBJECT:"),
                Arguments.of("smuggling: <LF>.<LF> then a command", inData("C:Subject: x\r\n\r\nbody\u00a6\n.\nMAIL FROM:<evil@x>\r\n"),
                        Map.of(), "554 5.6.0 bare LF in the message text (only CRLF ends a line)"),
                Arguments.of("smuggling: <CR><LF>.<LF>", inData("C:body\r\n.\u00a6\nRSET\r\n"),
                        Map.of(), "554 5.6.0 bare LF in the message text (only CRLF ends a line)"),
                Arguments.of("smuggling: <CR><LF>.<CR> then a command", inData("C:body\r\n.\u00a6\rMAIL FROM:<evil@x>\r\n"),
                        Map.of(), "554 5.6.0 bare CR in the message text (only CRLF ends a line)"),
                Arguments.of("a bare CR inside the text", inData("C:a\u00a6\rb\r\n"), Map.of(),
                        "554 5.6.0 bare CR in the message text (only CRLF ends a line)"),
                Arguments.of("text over maxMessageSize", inData("C:0123456789\u00a6X\r\n.\r\n"), Map.of("maxMessageSize", 10),
                        "552 5.3.4 message larger than 10 bytes (maxMessageSize)"),
                Arguments.of("a declared SIZE over maxMessageSize", greeted("C:MAIL FROM:<a@b> SIZE=11\u00a6\r\n"),
                        Map.of("maxMessageSize", 10), "552 5.3.4 declared SIZE 11 exceeds 10 bytes (maxMessageSize)"),
                Arguments.of("recipients over maxRecipients", greeted(MAIL, RCPT, RCPT, "C:RCPT TO:<bob@lab.example>\u00a6\r\n"),
                        Map.of("maxRecipients", 2), "452 4.5.3 more than 2 recipients (maxRecipients)"),
                Arguments.of("STARTTLS with a command pipelined after it", greeted("C:STARTTLS\r\n\u00a6RSET\r\n"), Map.of(),
                        "503 5.5.1 sent before the reply to STARTTLS"),
                Arguments.of("STARTTLS not allowed", greeted("C:STARTTLS\u00a6\r\n"),
                        Map.of("allowCommands", List.of("EHLO", "MAIL", "RCPT", "DATA", "QUIT")),
                        "502 5.5.1 STARTTLS is not allowed (allowCommands)"),
                Arguments.of("BDAT to a server without CHUNKING", steps(GREET, EHLO, EHLO_PLAIN, MAIL, OK, RCPT, OK,
                        "C:BDAT 4 LAST\u00a6\r\nRSET"), Map.of(), "503 5.5.1 BDAT, but the server did not offer CHUNKING"),
                Arguments.of("a bare LF in a BDAT chunk", greeted(MAIL, RCPT, "C:BDAT 4 LAST\r\na\u00a6\nb\r"), Map.of(),
                        "554 5.6.0 bare LF in the message text (only CRLF ends a line)"),
                Arguments.of("a last BDAT chunk ending in a bare CR", greeted(MAIL, RCPT, "C:BDAT 3 LAST\r\nab\u00a6\r"), Map.of(),
                        "554 5.6.0 bare CR in the message text (only CRLF ends a line)"),
                Arguments.of("BDAT over maxMessageSize", greeted(MAIL, RCPT, "C:BDAT 11\u00a6\r\n"), Map.of("maxMessageSize", 10),
                        "552 5.3.4 message larger than 10 bytes (maxMessageSize)"),
                Arguments.of("DATA after BDAT", greeted(MAIL, RCPT, "C:BDAT 2\r\nab", OK, OK, OK, "C:DATA\u00a6\r\n"), Map.of(),
                        "503 5.5.1 DATA in a transaction that used BDAT"),
                Arguments.of("a command where the AUTH response goes", greeted("C:AUTH LOGIN\r\n", "S:334 VXNlcm5hbWU6\r\n",
                        "C:MAIL FROM:<a@b>\u00a6\r\n"), Map.of(), "501 5.5.4 AUTH response is not base64 or \"*\""),
                Arguments.of("an address with a space", greeted("C:MAIL FROM:<a b@c>\u00a6\r\n"), Map.of(),
                        "501 5.5.4 address with a space, control byte, quote, backslash, comma or bracket: <a b@c>"),
                Arguments.of("a quoted local part", greeted("C:MAIL FROM:<\"a>b\"@c>|\r\n"), Map.of(),
                        "501 5.5.4 address with a space, control byte, quote, backslash, comma or bracket: <\"a>"),
                Arguments.of("a source route", greeted("C:MAIL FROM:<@relay:a@b>\u00a6\r\n"), Map.of(),
                        "501 5.5.4 source routes are not accepted: <@relay:a@b>"),
                Arguments.of("a path without brackets", greeted("C:MAIL FROM:a@b\u00a6\r\n"), Map.of(),
                        "501 5.5.4 syntax: MAIL FROM:<address>"),
                Arguments.of("two @ in an address", greeted("C:MAIL FROM:<a@b@c>\u00a6\r\n"), Map.of(),
                        "501 5.5.4 address is not local-part@domain: <a@b@c>"),
                Arguments.of("the null path as a recipient", greeted(MAIL, "C:RCPT TO:<>\u00a6\r\n"), Map.of(),
                        "501 5.5.4 the null path <> is no recipient"),
                Arguments.of("a parameter given twice", greeted("C:MAIL FROM:<a@b> SIZE=1 size=2\u00a6\r\n"), Map.of(),
                        "501 5.5.4 parameter SIZE given twice"),
                Arguments.of("bytes glued to the address", greeted("C:MAIL FROM:<a@b>SIZE=1\u00a6\r\n"), Map.of(),
                        "501 5.5.4 bytes after the address: SIZE=1"),
                Arguments.of("BINARYMIME the server did not offer", greeted("C:MAIL FROM:<a@b> BODY=BINARYMIME\u00a6\r\n"), Map.of(),
                        "501 5.5.4 BODY=BINARYMIME, but the server did not offer BINARYMIME"),
                Arguments.of("EHLO without a domain", steps(GREET, "C:EHLO\u00a6\r\n"), Map.of(),
                        "501 5.5.4 syntax: EHLO <domain or address literal>"),
                Arguments.of("a command after QUIT", greeted("C:QUIT\r\n\u00a6NOOP\r\n"), Map.of(),
                        "503 5.5.1 sent before the reply to QUIT"),
                Arguments.of("onDeny reset: no reply", greeted("C:VRFY root\u00a6\r\n"), Map.of("onDeny", "reset"),
                        "VRFY is not allowed (allowCommands)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedWithItsReplyHoweverCut(String name, List<String> marked, Map<String, Object> config, String expected) {
        SessionTranscript.Marked m = SessionTranscript.unmark(marked);
        boolean reset = "reset".equals(config.get("onDeny"));
        SessionTranscript.everyCut(() -> session(config), m.steps(), (piece, o) -> {
            Verdict.Deny d = o.deny();
            assertNotNull(d, "pieces of " + piece + ": " + o);
            assertEquals(reset ? "" : expected + "\r\n", o.refusal(), "pieces of " + piece);
            assertTrue(d.reason().endsWith(reset ? expected : expected.substring(10)), d.reason());
            assertTrue(o.clientApproved() <= m.clientOffset(), "pieces of " + piece + ": approved " + o.clientApproved()
                    + " past the refused bytes at " + m.clientOffset());
        });
    }

    @Test
    void theServersAcceptedStartTlsEndsInspection() {
        SessionTranscript.Outcome o = run(greeted("C:STARTTLS\r\n", "S:220 2.0.0 Ready to start TLS\r\n"));
        assertInstanceOf(Verdict.AllowFlow.class, o.ended());
    }

    @Test
    void aRefusedStartTlsKeepsInspecting() {
        SessionTranscript.Outcome o = run(greeted("C:STARTTLS\r\n", "S:454 TLS not available\r\n",
                "C:VRFY root\r\n"));
        assertTrue(o.refusal().startsWith("502 "), o.toString());
    }

    @Test
    void serverBytesAfterItsStartTls220AreRefused() {
        SessionTranscript.Outcome o = run(greeted("C:STARTTLS\r\n",
                "S:220 2.0.0 Ready to start TLS\r\n250 injected before the handshake\r\n"));
        assertEquals("invalid reply: bytes after the 220 to STARTTLS", o.deny().reason());
    }

    static Stream<Arguments> badReplies() {
        return Stream.of(
                Arguments.of("not a reply", steps("S:hello\r\n"), "invalid reply: reply line does not start with a reply code"),
                Arguments.of("a 1xx code", steps("S:199 hi\r\n"), "invalid reply: reply line does not start with a reply code"),
                Arguments.of("codes differing inside a reply", steps("S:220-a\r\n221 b\r\n"),
                        "invalid reply: reply code 221 inside a multiline reply 220"),
                Arguments.of("a reply nothing asked for", steps(GREET, "S:250 extra\r\n"),
                        "invalid reply: reply 250 with no command awaiting one"),
                Arguments.of("a bare LF", steps("S:220 hi\n"), "invalid reply: bare LF in a line (only CRLF ends a line)"),
                Arguments.of("no separator after the code", steps("S:220x\r\n"),
                        "invalid reply: reply code not followed by a space or a hyphen"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReplies")
    void repliesTheGatewayCannotFollowEndTheConnectionUnanswered(String name, List<String> steps, String reason) {
        SessionTranscript.Outcome o = run(steps);
        assertEquals(reason, o.deny().reason());
        assertEquals("", o.refusal());
    }

    @Test
    void configProblemsNameTheirKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmtpGatewayConfig.fromMap(
                Map.of("allowCommands", List.of("EHLO", "TURN"))));
        assertTrue(e.getMessage().contains("config.allowCommands[1]: must be an SMTP command (EHLO, HELO"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmtpGatewayConfig.fromMap(Map.of("maxLineLength", 100)));
        assertTrue(e.getMessage().contains("config.maxLineLength: must be an integer from 512 to 65536, got 100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmtpGatewayConfig.fromMap(Map.of("maxRecipient", 1)));
        assertTrue(e.getMessage().contains("config.maxRecipient: unknown key"), e.getMessage());
        assertEquals(SmtpGatewayConfig.DEFAULTS, SmtpGatewayConfig.fromMap(null));
        assertTrue(SmtpGatewayConfig.fromMap(Map.of("allowCommands", List.of("ehlo"))).allowCommands()
                .contains(SmtpVerb.EHLO));
    }
}
