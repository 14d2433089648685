package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMTP gateway in the lab: the lab policy redirects TCP/25 to Postfix on xg-server through the
 * gateway "mail" (VRFY, EXPN and AUTH not allowed, at most 100 recipients). Real swaks for what a
 * mail client sends, a scripted client (linedialog.py) for what an attacker sends; Postfix's log
 * lists every command that reached it ("< unknown[198.18.1.2]: VRFY ..."), its Maildir every
 * message it took.
 */
@KernelTest
class SmtpGatewayEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Path SERVER_LOG = Path.of("/tmp/xdpgate-lab/smtp.log");
    private static final Path INBOX = Path.of("/tmp/xdpgate-lab/postfix/mail/inbox/new");
    private static final String PYTHON = "/usr/bin/python3";
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = new Lab();
        lab.startDaemon();
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static Lab.Result swaks(String server, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", server, "--from", "alice@lab.example",
                "--to", "bob@lab.example", "--timeout", "10"));
        cmd.addAll(List.of(options));
        return Lab.inNs("xg-client", SHORT, cmd.toArray(String[]::new));
    }

    private static String dialog(String... parts) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON,
                Lab.REPO.resolve("control-plane/src/test/resources/lab/linedialog.py").toString(), "198.18.2.2", "25"));
        cmd.addAll(List.of(parts));
        Lab.Result r = Lab.inNs("xg-client", SHORT, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        return r.output();
    }

    private static String serverLog() throws Exception {
        return Files.exists(SERVER_LOG) ? Files.readString(SERVER_LOG, StandardCharsets.UTF_8) : "";
    }

    /** The delivered message holding {@code marker}, waiting for Postfix to deliver it. */
    private static Optional<String> delivered(String marker, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            if (Files.isDirectory(INBOX)) {
                try (Stream<Path> files = Files.list(INBOX)) {
                    for (Path f : files.toList()) {
                        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                        if (text.contains(marker)) {
                            return Optional.of(text);
                        }
                    }
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /** A message of many lines, some starting with dots (the client stuffs them, the server unstuffs). */
    private static String body(String marker) {
        return IntStream.range(0, 3000).mapToObj(i -> i % 500 == 7 ? ".line " + i + " starts with a dot"
                : i % 500 == 9 ? ".." : "line " + i + " of " + marker).collect(Collectors.joining("\n")) + "\n";
    }

    private static void assertDeliveredIntact(String marker, String server, String... options) throws Exception {
        Path data = Lab.RUN.resolve(marker + ".eml");
        String body = body(marker);
        // swaks ends the text with CRLF "." CRLF itself: the file's last line has no line end
        Files.writeString(data, "Subject: " + marker + "\r\n\r\n" + body.replace("\n", "\r\n").stripTrailing(),
                StandardCharsets.ISO_8859_1);
        List<String> args = new ArrayList<>(List.of("--data", "@" + data));
        args.addAll(List.of(options));
        Lab.Result r = swaks(server, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        String message = delivered(marker, Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError(
                "not delivered: " + marker + "\n" + r.output()));
        String got = message.substring(message.indexOf("\n\n") + 2);
        assertEquals(body, got, "the body as sent, byte for byte");
    }

    @Test
    void messagesArriveIntactOverBothFamiliesInLockStepPipelinedAndUnderStartTls() throws Exception {
        assertDeliveredIntact("lockstep-v4-" + ProcessHandle.current().pid(), "198.18.2.2");
        assertDeliveredIntact("pipelined-v6-" + ProcessHandle.current().pid(), "2001:db8:2::2", "--pipeline");
        assertDeliveredIntact("starttls-v4-" + ProcessHandle.current().pid(), "198.18.2.2", "--tls");
        assertTrue(serverLog().contains("< unknown[2001:db8:1::2]: MAIL FROM:<alice@lab.example>"), "v6 went to Postfix");
    }

    @Test
    void vrfyExpnAndAuthAreAnsweredByTheGatewayAndNeverReachTheServer() throws Exception {
        String vrfy = dialog("EHLO client.lab.example\\r\\n", "VRFY bob@lab.example\\r\\n");
        assertTrue(vrfy.contains("502 5.5.1 VRFY is not allowed (allowCommands)\r\n"), vrfy);
        assertTrue(vrfy.endsWith("RESET\n") || vrfy.endsWith("CLOSED\n"), "the connection ends: " + vrfy);
        String expn = dialog("EHLO client.lab.example\\r\\n", "1:EXPN staff\\r\\n");
        assertTrue(expn.contains("502 5.5.1 EXPN is not allowed (allowCommands)"), expn);
        String auth = dialog("EHLO client.lab.example\\r\\n", "AUTH PLAIN AGFsaWNlAHNlY3JldA==\\r\\n");
        assertTrue(auth.contains("502 5.5.1 AUTH is not allowed (allowCommands)"), auth);
        String log = serverLog();
        assertTrue(log.contains(": < unknown[198.18.1.2]: EHLO client.lab.example"), "the dialogs reached Postfix");
        assertFalse(log.matches("(?s).*: < [^ ]+: (VRFY|EXPN|AUTH) .*"), "refused commands in Postfix's log");
    }

    @Test
    void smugglingASecondMessageBehindABareLfIsRefusedBeforeTheServerSeesIt() throws Exception {
        String marker = "smuggled-" + ProcessHandle.current().pid();
        String out = dialog("EHLO client.lab.example\\r\\n", "MAIL FROM:<alice@lab.example>\\r\\n",
                "RCPT TO:<bob@lab.example>\\r\\n", "DATA\\r\\n",
                "Subject: first\\r\\n\\r\\nhello\\n.\\nMAIL FROM:<mallory@lab.example>\\r\\nRCPT TO:<bob@lab.example>\\r\\n"
                        + "DATA\\r\\nSubject: " + marker + "\\r\\n\\r\\nspoofed\\r\\n.\\r\\n");
        assertTrue(out.contains("354 ") && out.contains("554 5.6.0 bare LF in the message text"), out);
        assertFalse(delivered(marker, Duration.ofSeconds(2)).isPresent(), "the smuggled message was delivered");
        assertFalse(serverLog().contains("mallory@lab.example"), "the smuggled MAIL reached Postfix");
    }

    @Test
    void theEndOfDataIsOnlyCrLfDotCrLfEvenByteBySegment() throws Exception {
        String marker = "cr-dot-" + ProcessHandle.current().pid();
        String out = dialog("EHLO client.lab.example\\r\\n", "MAIL FROM:<alice@lab.example>\\r\\n",
                "RCPT TO:<bob@lab.example>\\r\\n", "DATA\\r\\n",
                "1:Subject: " + marker + "\\r\\n\\r\\nhello\\r\\n.\\rRCPT TO:<carol@lab.example>\\r\\n");
        assertTrue(out.contains("554 5.6.0 bare CR in the message text"), out);
        assertFalse(serverLog().contains("carol@lab.example"), "text after <CR><LF>.<CR> reached Postfix");
    }

    @Test
    void aCommandPipelinedBehindStartTlsIsRefused() throws Exception {
        String out = dialog("EHLO client.lab.example\\r\\n", "STARTTLS\\r\\nRSET\\r\\n");
        assertTrue(out.contains("503 5.5.1 sent before the reply to STARTTLS"), out);
    }

    @Test
    void recipientsBeyondTheLimitAreRefusedWithA452() throws Exception {
        String to = IntStream.range(0, 101).mapToObj(i -> "r" + i + "@lab.example").collect(Collectors.joining(","));
        Lab.Result r = Lab.inNs("xg-client", SHORT, "swaks", "--server", "198.18.2.2", "--from", "alice@lab.example",
                "--to", to, "--timeout", "10");
        assertTrue(r.output().contains("452 4.5.3 more than 100 recipients (maxRecipients)"), r.output());
        assertTrue(serverLog().contains("RCPT TO:<r99@lab.example>"), "the first 100 went through");
        assertFalse(serverLog().contains("RCPT TO:<r100@lab.example>"), "the 101st reached Postfix");
    }

    /**
     * Crafted on the wire: an accepted NOOP released with TTL 1 dies in the firewall's forwarding,
     * then a VRFY of the same length at the same sequence numbers, as if a retransmission; and a
     * VRFY sent in two segments, the second half first.
     */
    @Test
    void tcpTricksDoNotGetACommandPastTheGateway() throws Exception {
        String ehlo = "EHLO crafted.lab.example\r\n";
        Lab.Result replaced = CraftedClient.session(25, "wait:1", "data:0:" + CraftedClient.b64(ehlo), "wait:1",
                "data:" + ehlo.length() + ":" + CraftedClient.b64("NOOP xyz\r\n") + ":1", "wait:1",
                "data:" + ehlo.length() + ":" + CraftedClient.b64("VRFY xyz\r\n"), "wait:1");
        Lab.Result reordered = CraftedClient.session(25, "wait:1", "data:0:" + CraftedClient.b64(ehlo), "wait:1",
                "data:" + (ehlo.length() + 5) + ":" + CraftedClient.b64("root\r\n"), "wait:0.5",
                "data:" + ehlo.length() + ":" + CraftedClient.b64("VRFY "), "wait:1");
        assertTrue(reordered.output().contains("502 5.5.1 VRFY is not allowed"), reordered.output());
        String log = serverLog();
        assertTrue(log.contains(": < unknown[198.18.1.2]: EHLO crafted.lab.example"), "the sessions reached Postfix: "
                + replaced.output());
        assertFalse(log.contains("VRFY xyz") || log.contains("VRFY root"), "a VRFY reached Postfix");
    }
}
