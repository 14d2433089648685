package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Attacks on the packet processor, with packets crafted on the wire (scapy in xg-client) against
 * real servers in the lab: what an attacker would check is what is asserted (the refused
 * request absent from the server's log, the transfer intact, a new client still served).
 *
 * <p>The daemon runs with a connection table of 2,048 entries, so that a flood can fill it.
 */
@KernelTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttackEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Path SERVER_LOG_80 = Path.of("/tmp/xdpgate-lab/http-80.log");
    private static final Path WWW = Path.of("/tmp/xdpgate-lab-www");
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = new Lab();
        lab.startDaemon("--xdpgate.maps.conns=2048");
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static Lab.Result curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "-m", "10"));
        cmd.addAll(List.of(args));
        return Lab.inNs("xg-client", SHORT, cmd.toArray(String[]::new));
    }

    private static String defaultPolicy() throws Exception {
        return Files.readString(Lab.REPO.resolve("control-plane/src/main/resources/default-policy.json"));
    }

    /**
     * Attack 5 of issue 10: with a policy whose last word is "pass", a SYN forged from the
     * server's port 80 to the client's port P, sent into the firewall from the client's side,
     * used to become the entry the client's real connection from P to port 80 matched as its
     * reply: it passed in the kernel, past the HTTP gateway, and /admin was served.
     */
    @Test
    @Order(1)
    void aForgedReplyEntryDoesNotLetTheRealConnectionBypassTheGateway() throws Exception {
        String passAll = defaultPolicy().replaceFirst("\"defaultAction\": \"drop\"", "\"defaultAction\": \"pass\"");
        assertEquals(200, lab.api().put("/api/v1/policy", passAll).status());
        try {
            long wrongSide = lab.stat("ct_wrong_side");
            var spoof = CraftedClient.run("spoof-syn", "198.18.2.2", "80", "198.18.1.2", "45555");
            assertEquals(0, spoof.exit(), spoof.output());

            var r = curl("--local-port", "45555", "-w", "\n%{http_code}", "http://198.18.2.2/admin/secret");
            assertTrue(r.output().endsWith("\n403"), "the gateway judged it: " + r.output());
            assertFalse(Files.readString(SERVER_LOG_80, StandardCharsets.UTF_8).contains("/admin/secret"),
                    "the server never saw it");
            assertTrue(lab.stat("ct_wrong_side") > wrongSide, "the forged entry was seen from its wrong side");
        } finally {
            assertEquals(200, lab.api().put("/api/v1/policy", defaultPolicy()).status());
        }
    }

    /**
     * Attack 6 of issue 10: a RST forged with an arbitrary sequence number used to close the
     * connection's entry, and every later packet of it was dropped. Both through the kernel
     * (port 8080) and through the HTTP gateway (port 80), during a transfer.
     */
    @Test
    @Order(2)
    void forgedResetsDoNotBreakATransfer() throws Exception {
        String expected = Lab.sh(List.of("sha256sum", WWW.resolve("100M.bin").toString()), SHORT).output().split(" ")[0];
        for (int port : new int[] {8080, 80}) {
            int cport = 45600 + port % 100;
            long refusedBefore = lab.stat("drop_tcp_window") + lab.stat("ct_wrong_side");
            Path out = Lab.RUN.resolve("100M-" + port + ".bin");
            Process download = new ProcessBuilder("ip", "netns", "exec", "xg-client", "curl", "-sS", "-m", "60",
                    "--limit-rate", "30M", "--local-port", String.valueOf(cport), "-o", out.toString(),
                    "-w", "%{http_code} %{size_download}", "http://198.18.2.2:" + port + "/100M.bin")
                    .redirectErrorStream(true).start();
            Thread.sleep(1000);
            // as the client towards the server, and as the server towards the client (from the client's side)
            var a = CraftedClient.run("rst", "198.18.1.2", String.valueOf(cport), "198.18.2.2", String.valueOf(port), "300");
            var b = CraftedClient.run("rst", "198.18.2.2", String.valueOf(port), "198.18.1.2", String.valueOf(cport), "300");
            assertEquals(0, a.exit() + b.exit(), a.output() + b.output());
            assertTrue(download.waitFor(90, TimeUnit.SECONDS), "the download finished");
            String result = new String(download.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals("200 104857600", result, "port " + port);
            String got = Lab.sh(List.of("sha256sum", out.toString()), SHORT).output().split(" ")[0];
            assertEquals(expected, got, "port " + port + ": sha256 of what arrived");
            Files.delete(out);
            assertTrue(lab.stat("drop_tcp_window") + lab.stat("ct_wrong_side") > refusedBefore + 590,
                    "port " + port + ": the forged resets were dropped in the kernel");
        }
    }

    /**
     * Attack 8 of issue 10: 3,000 SYNs from unused client addresses in 3 s into a table of 2,048
     * left every new legitimate connection refused for 35 s. The flood's entries are unconfirmed
     * (the server answers, the forged clients never do) and make room for a real client.
     */
    @Test
    @Order(3)
    void aSynFloodIntoAFullTableDoesNotLockOutANewClient() throws Exception {
        var established = new ProcessBuilder("ip", "netns", "exec", "xg-client", "curl", "-sS", "-m", "60",
                "--limit-rate", "5M", "-o", "/dev/null", "-w", "%{http_code}", "http://198.18.2.2:8080/100M.bin")
                .redirectErrorStream(true).start();
        long earlyDrops = lab.stat("early_drop");
        var flood = CraftedClient.run("flood", "198.18.2.2", "8080", "3000", "3");
        assertEquals(0, flood.exit(), flood.output());

        long started = System.nanoTime();
        var r = curl("-m", "5", "http://198.18.2.2:8080/index.html");
        assertEquals(0, r.exit(), "a new client is served right after the flood: " + r.output());
        assertEquals("hello from xg-server\n", r.output());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
        assertTrue(lab.stat("early_drop") > earlyDrops, "flood entries were reclaimed");
        assertTrue(established.isAlive(), "the established download goes on: nothing live was evicted");

        established.destroy();
        established.waitFor(10, TimeUnit.SECONDS);
    }

    // ---- through the HTTP gateway: the server must read what the gateway judged

    private static String log80() throws Exception {
        return Files.readString(SERVER_LOG_80, StandardCharsets.UTF_8);
    }

    /** Attack 1: the gateway judged "/Xadmin/u" while the server (urgent byte out of band) read "/admin/u". */
    @Test
    @Order(10)
    void urgentDataCannotHideBytesFromTheGateway() throws Exception {
        var r = CraftedClient.run("urg", "198.18.2.2", "80");
        assertFalse(log80().contains("/admin/u"), "the server never read /admin/u: " + r.output());
        assertFalse(r.output().contains("--end: timeout"), "a clear answer (refused, or judged as the server "
                + "reads it), not a stalled stream: " + r.output());
    }

    /** Attack 2: a SYN-ACK from the client after the handshake moved the gateway's offsets. */
    @Test
    @Order(11)
    void aSynAckFromTheClientCannotShiftTheStream() throws Exception {
        String two = "DELETE /admin/x2 HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
        var r = CraftedClient.session(80, "synack", "data:0:" + CraftedClient.b64(two), "wait:1");
        assertFalse(log80().contains("/admin/x2"), "the DELETE never reached the server: " + r.output());
    }

    /**
     * Attack 3: an allowed GET released with TTL 1 dies in the firewall's own forwarding; the same
     * sequence range again, as a DELETE of the same length, was forwarded as a retransmission.
     */
    @Test
    @Order(12)
    void aRetransmissionCannotReplaceReleasedBytes() throws Exception {
        String delete = "DELETE /admin/x3 HTTP/1.1\r\nHost: a\r\n\r\n";
        String get = "GET /" + "a".repeat(delete.length() - "GET / HTTP/1.1\r\nHost: a\r\n\r\n".length())
                + " HTTP/1.1\r\nHost: a\r\n\r\n";
        assertEquals(delete.length(), get.length());
        var r = CraftedClient.session(80, "data:0:" + CraftedClient.b64(get) + ":1", "wait:1", "data:0:" + CraftedClient.b64(delete), "wait:1");
        assertFalse(log80().contains("/admin/x3"), "the DELETE never reached the server: " + r.output());
    }

    /** Attack 4: "//admin/x" passed denyPaths ["/admin"], and the server served /admin/x. */
    @Test
    @Order(13)
    void aDoubledSlashDoesNotGetPastAPathRule() throws Exception {
        var r = curl("--path-as-is", "-w", "\n%{http_code}", "http://198.18.2.2//admin/x4");
        assertTrue(r.output().endsWith("\n403"), r.output());
        assertFalse(log80().contains("admin/x4"), "the server never saw it");
    }
}
