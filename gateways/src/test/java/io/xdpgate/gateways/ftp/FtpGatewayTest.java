package io.xdpgate.gateways.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.gateways.spi.Expectation;
import io.xdpgate.gateways.spi.Expectations;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.SessionTranscript;
import io.xdpgate.gateways.spi.Transport;
import io.xdpgate.gateways.spi.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FTP gateway over whole control dialogs, each fed in one piece and in pieces of every size:
 * the data connections announced become exactly the expected expectations; what is refused
 * (bounce, low ports, replies to the wrong command, commands not allowed) is refused with the
 * same reply however cut, and nothing from the mark ({@link SessionTranscript#MARK}) on reaches the server.
 */
class FtpGatewayTest {
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.18.1.2", 40000);
    static final InetSocketAddress SERVER = new InetSocketAddress("198.18.2.2", 21);
    static final String GREET = "S:220 (vsFTPd 3.0.3)\r\n";
    static final String LOGIN = "C:USER anonymous\r\n";
    static final String LOGGED = "S:230 Login successful.\r\n";

    /** Records what the session asked for; refuses when {@code refusal} is set. */
    static final class Asked implements Expectations {
        final List<Expectation> wanted = new ArrayList<>();
        String refusal;

        @Override
        public String expect(Expectation e, int maxOpen) {
            wanted.add(e);
            return refusal;
        }
    }

    static List<String> steps(String... s) {
        List<String> out = new ArrayList<>(List.of(GREET, LOGIN, LOGGED));
        out.addAll(List.of(s));
        return out;
    }

    static Expectation expect(String from, String to, int port) {
        return new Expectation(Transport.TCP, new InetSocketAddress(from, 0).getAddress(), new InetSocketAddress(to, port),
                false, Duration.ofSeconds(30));
    }

    static Stream<Arguments> passing() {
        return Stream.of(
                Arguments.of("PASV and its 227", steps("C:PASV\r\n", "S:227 Entering Passive Mode (198,18,2,2,117,48).\r\n",
                        "C:RETR 50M.bin\r\n", "S:150 Opening BINARY mode data connection.\r\n", "S:226 Transfer complete.\r\n",
                        "C:QUIT\r\n", "S:221 Goodbye.\r\n"), List.of(expect("198.18.1.2", "198.18.2.2", 30000))),
                Arguments.of("EPSV and its 229", steps("C:EPSV\r\n", "S:229 Entering Extended Passive Mode (|||30001|)\r\n"),
                        List.of(expect("198.18.1.2", "198.18.2.2", 30001))),
                Arguments.of("PORT", steps("C:PORT 198,18,1,2,156,64\r\n", "S:200 PORT command successful.\r\n"),
                        List.of(expect("198.18.2.2", "198.18.1.2", 40000))),
                Arguments.of("EPRT", steps("C:EPRT |1|198.18.1.2|40001|\r\n", "S:200 EPRT command successful.\r\n"),
                        List.of(expect("198.18.2.2", "198.18.1.2", 40001))),
                Arguments.of("a multiline FEAT reply with lines of any text", steps("C:FEAT\r\n",
                        "S:211-Features:\r\n EPRT\r\n 227 looks like a code\r\n211 End\r\n", "C:NOOP\r\n", "S:200 NOOP ok.\r\n"),
                        List.of()),
                Arguments.of("a 421 the server sends unasked", steps("S:421 Timeout.\r\n"), List.of()));
    }

    private static GatewaySession control(Map<String, Object> config, Expectations expectations) {
        return new FtpGatewayFactory().create(config).open(new FlowContext(7, CLIENT, SERVER, expectations));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passing")
    void passesWholeAndExpectsTheAnnouncedDataConnectionsHoweverCut(String name, List<String> steps, List<Expectation> expected) {
        List<Asked> each = new ArrayList<>();
        SessionTranscript.everyCut(() -> {
            each.add(new Asked());
            return control(Map.of(), each.get(each.size() - 1));
        }, steps, (piece, o) -> {
            assertTrue(o.passedWhole(), "pieces of " + piece + ": " + o);
            assertEquals(expected, each.get(each.size() - 1).wanted, "pieces of " + piece);
        });
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("PORT to another host (FTP bounce)", steps("C:PORT 198,18,2,9,156,64\u00a6\r\n"), Map.of(),
                        "504 PORT names 198.18.2.9, not the client's address (FTP bounce)"),
                Arguments.of("EPRT to another host", steps("C:EPRT |1|198.18.2.9|40001|\u00a6\r\n"), Map.of(),
                        "504 EPRT names 198.18.2.9, not the client's address (FTP bounce)"),
                Arguments.of("PORT to a port below 1024", steps("C:PORT 198,18,1,2,0,25\u00a6\r\n"), Map.of(),
                        "504 PORT names port 25 (below 1024)"),
                Arguments.of("PORT with a leading zero", steps("C:PORT 198,18,01,2,156,64\u00a6\r\n"), Map.of(),
                        "501 PORT with a bad number \"01\""),
                Arguments.of("PORT with five numbers", steps("C:PORT 198,18,1,2,156\u00a6\r\n"), Map.of(),
                        "501 syntax: PORT h1,h2,h3,h4,p1,p2"),
                Arguments.of("EPRT with a host name", steps("C:EPRT |1|client.lab.example|40001|\u00a6\r\n"), Map.of(),
                        "501 EPRT address is not an IPv4 literal"),
                Arguments.of("a 227 naming another host", steps("C:PASV\r\n", "S:227 Entering Passive Mode (198,18,2,9,117,48).\u00a6\r\n"),
                        Map.of(), "421 invalid reply: 227 names 198.18.2.9, not the server's address"),
                Arguments.of("a 227 naming a low port", steps("C:PASV\r\n", "S:227 Entering Passive Mode (198,18,2,2,0,22).\u00a6\r\n"),
                        Map.of(), "421 invalid reply: 227 names port 22 (below 1024)"),
                Arguments.of("a 227 nobody asked for", steps("C:NOOP\r\n", "S:227 Entering Passive Mode (198,18,2,2,117,48).\u00a6\r\n"),
                        Map.of(), "421 invalid reply: 227 in reply to NOOP"),
                Arguments.of("a 229 to PASV", steps("C:PASV\r\n", "S:229 Entering Extended Passive Mode (|||30001|)\u00a6\r\n"),
                        Map.of(), "421 invalid reply: 229 in reply to PASV"),
                Arguments.of("SITE EXEC", steps("C:SITE EXEC /bin/sh\u00a6\r\n"), Map.of(), "502 SITE is not allowed (allowCommands)"),
                Arguments.of("AUTH TLS by default", steps("C:AUTH TLS\u00a6\r\n"), Map.of(), "502 AUTH is not allowed (allowCommands)"),
                Arguments.of("STOR when only reading is allowed", steps("C:STOR x\u00a6\r\n"),
                        Map.of("allowCommands", List.of("USER", "PASS", "PASV", "EPSV", "RETR", "QUIT")),
                        "502 STOR is not allowed (allowCommands)"),
                Arguments.of("an unknown verb", steps("C:XYZZ\u00a6\r\n"), Map.of(), "500 command unrecognized: XYZZ"),
                Arguments.of("a bare LF ending a command", steps("C:NOOP\u00a6\nDELE x\r\n"), Map.of(),
                        "500 bare LF in a line (only CRLF ends a line)"),
                Arguments.of("a Telnet IAC in a command", steps("C:NOOP \u00ff\u00f4\u00a6\r\n"), Map.of(),
                        "500 control byte in a command: NOOP \\xff\\xf4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedWithItsReplyHoweverCut(String name, List<String> marked, Map<String, Object> config, String expected) {
        SessionTranscript.Marked m = SessionTranscript.unmark(marked);
        SessionTranscript.everyCut(() -> control(config, new Asked()), m.steps(), (piece, o) -> {
            Verdict.Deny d = o.deny();
            assertNotNull(d, "pieces of " + piece + ": " + o);
            assertEquals(expected + "\r\n", o.refusal(), "pieces of " + piece);
            assertEquals(expected, d.reason());
            assertTrue(o.clientApproved() <= m.clientOffset(), "pieces of " + piece + ": approved " + o.clientApproved()
                    + " past " + m.clientOffset());
        });
    }

    @Test
    void aRefusedExpectationRefusesTheCommand() {
        Asked full = new Asked();
        full.refusal = "this connection has 4 data connections expected (maxDataChannels)";
        SessionTranscript.Outcome o = SessionTranscript.run(() -> control(Map.of(), full),
                steps("C:PORT 198,18,1,2,156,64\r\n"), Integer.MAX_VALUE);
        assertEquals("425 no data connection: this connection has 4 data connections expected (maxDataChannels)\r\n",
                o.refusal());
    }

    @Test
    void anAllowedAuthTlsEndsInspectionAtIts234() {
        SessionTranscript.Outcome o = SessionTranscript.run(() -> control(Map.of("allowCommands", List.of("USER", "AUTH")),
                new Asked()), steps("C:AUTH TLS\r\n", "S:234 Proceed with negotiation.\r\n"), Integer.MAX_VALUE);
        assertInstanceOf(Verdict.AllowFlow.class, o.ended());
    }

    @Test
    void anInspectedDataConnectionIsCountedAndCutAtTheLimit() {
        FtpGateway gateway = (FtpGateway) new FtpGatewayFactory().create(Map.of("dataChannel", "inspect",
                "maxTransferBytes", 10));
        Asked asked = new Asked();
        GatewaySession control = gateway.open(new FlowContext(7, CLIENT, SERVER, asked));
        SessionTranscript.run(() -> control, steps("C:PASV\r\n", "S:227 Entering Passive Mode (198,18,2,2,117,48).\r\n"),
                Integer.MAX_VALUE);
        assertTrue(asked.wanted.get(0).redirect(), "the data connection is redirected here");
        GatewaySession data = gateway.open(new FlowContext(8, new InetSocketAddress("198.18.1.2", 40200),
                new InetSocketAddress("198.18.2.2", 30000)));
        assertInstanceOf(FtpDataSession.class, data);
        assertEquals(new Verdict.Approve(6), data.onServerBytes(0, ByteBuffer.wrap(new byte[6])));
        assertEquals("data connection over 10 bytes (maxTransferBytes)",
                assertInstanceOf(Verdict.Deny.class, data.onServerBytes(6, ByteBuffer.wrap(new byte[5]))).reason());
        assertInstanceOf(FtpControlSession.class, gateway.open(new FlowContext(9, new InetSocketAddress("198.18.1.2", 40201),
                new InetSocketAddress("198.18.2.2", 30000))), "one-shot: the next one is no data connection");
        assertEquals(1L, gateway.counters().get("expectations_granted"));
    }

    @Test
    void bounceAttemptsAreCounted() {
        FtpGateway gateway = (FtpGateway) new FtpGatewayFactory().create(Map.of());
        SessionTranscript.run(() -> gateway.open(new FlowContext(7, CLIENT, SERVER, new Asked())),
                steps("C:PORT 198,18,2,9,156,64\r\n"), Integer.MAX_VALUE);
        assertEquals(1L, gateway.counters().get("bounce_refused"));
    }

    @Test
    void configProblemsNameTheirKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FtpGatewayConfig.fromMap(Map.of("maxTransferBytes", 100)));
        assertTrue(e.getMessage().contains("config.maxTransferBytes: needs \"dataChannel\": \"inspect\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FtpGatewayConfig.fromMap(Map.of("allowCommands", List.of("RETR", "EXEC"))));
        assertTrue(e.getMessage().contains("config.allowCommands[1]: must be an FTP command"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FtpGatewayConfig.fromMap(Map.of("expectTimeout", 0)));
        assertTrue(e.getMessage().contains("config.expectTimeout: must be seconds from 1 to 300, got 0"), e.getMessage());
        assertEquals(FtpGatewayConfig.DEFAULTS, FtpGatewayConfig.fromMap(null));
    }
}
