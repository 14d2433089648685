package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HTTP gateway in the lab: the lab policy redirects TCP/80 from xg-client to the gateway
 * the daemon hosts in xg-fw; real curl, a real HTTP server whose log shows what reached it.
 * The gateway is killed last (with the daemon), to see its fail mode.
 */
@KernelTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpGatewayEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final Path SERVER_LOG = Path.of("/tmp/xdpgate-lab/http-80.log");
    private static final Path WWW = Path.of("/tmp/xdpgate-lab-www");
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

    private static Lab.Result curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "-m", "10"));
        cmd.addAll(List.of(args));
        return Lab.inNs("xg-client", SHORT, cmd.toArray(String[]::new));
    }

    private static String serverLog() throws Exception {
        return Files.readString(SERVER_LOG, StandardCharsets.UTF_8);
    }

    private static Lab.Result raw(String request) throws Exception {
        String script = Lab.REPO.resolve("control-plane/src/test/resources/lab/rawtcp.py").toString();
        return Lab.inNs("xg-client", SHORT, "python3", script, "198.18.2.2", "80",
                Base64.getEncoder().encodeToString(request.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static long gatewayCounter(String name) throws Exception {
        String body = lab.api().get("/api/v1/gateways").body();
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(body);
        assertTrue(m.find(), name + " in " + body);
        return Long.parseLong(m.group(1));
    }

    @Test
    @Order(1)
    void theGatewayIsHostedAndActive() throws Exception {
        String body = lab.api().get("/api/v1/gateways").body();
        assertTrue(body.contains("\"name\":\"web\""), body);
        assertTrue(body.contains("\"active\":true"), body);
        assertTrue(body.contains("\"running\":true"), body);
        assertTrue(body.contains("\"interfaces\":[\"xgw0-0\",\"xgw0-1\"]"), body);
    }

    @Test
    @Order(2)
    void anAllowedGetPassesOverIpv4AndIpv6() throws Exception {
        long opened = gatewayCounter("flows_opened");
        var v4 = curl("http://198.18.2.2/");
        assertEquals(0, v4.exit(), v4.output());
        assertEquals("hello from xg-server\n", v4.output());
        var v6 = curl("-g", "http://[2001:db8:2::2]/");
        assertEquals(0, v6.exit(), v6.output());
        assertEquals("hello from xg-server\n", v6.output());
        assertEquals(opened + 2, gatewayCounter("flows_opened"), "both went through the gateway");
    }

    /**
     * A request head larger than the client's initial congestion window (10 segments): the client
     * waits for ACKs before sending the rest, so a gateway holding the whole unfinished head would
     * stall it for good (after its retransmission timeout Linux sends nothing new).
     */
    @Test
    @Order(2)
    void aRequestHeadLargerThanTheInitialWindowGoesThrough() throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-o", "/dev/null", "-w", "%{http_code}"));
        for (int i = 0; i < 3; i++) {
            args.addAll(List.of("-H", "X-Big-" + i + ": " + "b".repeat(7000)));
        }
        args.add("http://198.18.2.2/index.html");
        var r = curl(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        assertEquals("200", r.output().strip(), "21 KB of head passed and was answered");
    }

    @Test
    @Order(3)
    void a100MegabyteDownloadArrivesIntactThroughTheGateway() throws Exception {
        String expected = Lab.sh(List.of("sha256sum", WWW.resolve("100M.bin").toString()), SHORT).output().split(" ")[0];
        Path out = Lab.RUN.resolve("100M.bin");
        var r = Lab.inNs("xg-client", Duration.ofSeconds(120), "curl", "-sS", "-m", "110", "-o", out.toString(),
                "-w", "%{http_code} %{size_download}", "http://198.18.2.2/100M.bin");
        assertEquals("200 104857600", r.output().strip(), r.output());
        String got = Lab.sh(List.of("sha256sum", out.toString()), SHORT).output().split(" ")[0];
        assertEquals(expected, got, "sha256 of what arrived");
        Files.delete(out);
    }

    @Test
    @Order(4)
    void aDeniedMethodGets403AndNeverReachesTheServer() throws Exception {
        long denied = gatewayCounter("flows_denied");
        var r = curl("-X", "DELETE", "-w", "\n%{http_code}", "http://198.18.2.2/index.html");
        assertTrue(r.output().endsWith("\n403"), r.output());
        assertTrue(r.output().contains("method DELETE is not allowed"), r.output());
        assertFalse(serverLog().contains("DELETE"), "the server never saw it");
        assertEquals(denied + 1, gatewayCounter("flows_denied"));

        // the flow log joins the gateway's verdict and the kernel's redirect by connection id
        String log = Files.readString(Lab.RUN.resolve("daemon.log"), StandardCharsets.UTF_8);
        Matcher verdict = Pattern.compile("gateway=web conn=(\\d+) client=/198\\.18\\.1\\.2:(\\d+) "
                + "server=/198\\.18\\.2\\.2:80 nat=\\S+ -> \\S+:(\\d+) verdict=deny "
                + "reason=\"method DELETE is not allowed\"").matcher(log);
        assertTrue(verdict.find(), log);
        String conn = verdict.group(1);
        Pattern redirect = Pattern.compile("event=redirect conn=" + conn + " orig=tcp 198\\.18\\.1\\.2:"
                + verdict.group(2) + " -> 198\\.18\\.2\\.2:80 nat=tcp 198\\.18\\.1\\.2:" + verdict.group(2)
                + " -> 198\\.18\\.255\\.1:" + verdict.group(3) + " rule=http gateway=web");
        // the kernel wakes the event reader for batches; a lone event is read within its 100 ms poll
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
        while (!redirect.matcher(log).find() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            log = Files.readString(Lab.RUN.resolve("daemon.log"), StandardCharsets.UTF_8);
        }
        assertTrue(redirect.matcher(log).find(), "the kernel's redirect event for conn " + conn + " in " + log);
        String events = lab.api().get("/api/v1/events?type=redirect&conn=" + conn).body();
        assertTrue(events.contains("\"dstPort\":" + verdict.group(3)) && events.contains("\"dstPort\":80"), events);
    }

    @Test
    @Order(5)
    void aDeniedPathGets403AndNeverReachesTheServer() throws Exception {
        var r = curl("-w", "\n%{http_code}", "http://198.18.2.2/public/../admin/users");
        assertTrue(r.output().endsWith("\n403"), r.output());
        assertTrue(r.output().contains("/admin"), r.output());
        assertFalse(serverLog().contains("/admin"), "the server never saw it");
    }

    @Test
    @Order(6)
    void aRefusedRequestPipelinedBehindAnAllowedOneIsCaught() throws Exception {
        var r = raw("GET /pipelined-first HTTP/1.1\r\nHost: 198.18.2.2\r\n\r\n"
                + "DELETE /index.html HTTP/1.1\r\nHost: 198.18.2.2\r\n\r\n");
        String out = r.output();
        assertTrue(out.contains("403 Forbidden") && out.contains("method DELETE is not allowed"), out);
        assertFalse(serverLog().contains("DELETE"), "the refused request never reached the server");
    }

    @Test
    @Order(7)
    void smugglingAttemptsAreRefusedBeforeTheServerSeesThem() throws Exception {
        String[] attempts = {
            "POST /cl-te HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /cl-cl HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
            "GET /fold HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n",
            "GET /bare-lf HTTP/1.1\nHost: a\n\n",
            "POST /chunk HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        };
        for (String a : attempts) {
            var r = raw(a);
            assertTrue(r.output().startsWith("HTTP/1.1 400"), a + " -> " + r.output());
            String path = a.substring(a.indexOf(' ') + 1, a.indexOf(' ', a.indexOf(' ') + 1));
            assertFalse(serverLog().contains(path), path + " reached the server");
        }
    }

    @Test
    @Order(8)
    void nonHttpBytesOnPort80AreRefused() throws Exception {
        var r = raw("SSH-2.0-OpenSSH_9.2p1\r\n");
        assertTrue(r.output().startsWith("HTTP/1.1 400"), r.output());
        var bin = raw("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003");
        assertTrue(bin.output().startsWith("HTTP/1.1 400"), bin.output());
        // the handshake reaches the server (the gateway judges bytes, not SYNs); no byte does
        assertFalse(serverLog().contains("SSH-2.0"), "the server never got the bytes");
        assertFalse(serverLog().contains("\\x16\\x03"), "the server never got the bytes");
    }

    @Test
    @Order(9)
    void theConnectionsApiShowsTheOriginalAndTheNatTuple() throws Exception {
        Process slow = new ProcessBuilder("ip", "netns", "exec", "xg-client", "curl", "-sS", "--limit-rate", "2M",
                "-o", "/dev/null", "http://198.18.2.2/10M.bin").redirectErrorStream(true).start();
        try {
            String body = "";
            for (int i = 0; i < 50 && !body.contains("198.18.255.1"); i++) {
                Thread.sleep(100);
                body = lab.api().get("/api/v1/connections").body();
            }
            Matcher m = Pattern.compile("\"original\":\\{\"text\":\"198\\.18\\.1\\.2:(\\d+) -> 198\\.18\\.2\\.2:80 tcp\""
                    + "[^}]*\\},\"nat\":\\{\"text\":\"198\\.18\\.1\\.2:(\\d+) -> 198\\.18\\.255\\.1:(\\d+) tcp\"[^}]*\\},"
                    + "\"gateway\":0,\"verdict\":\"redirect\",\"state\":\"established\"").matcher(body);
            assertTrue(m.find(), body);
            assertEquals(m.group(1), m.group(2), "no source NAT: the client port stays");
            int pool = Integer.parseInt(m.group(3));
            assertTrue(pool >= 40000 && pool <= 40999, "a port of the gateway's pool: " + pool);
            String gateways = lab.api().get("/api/v1/gateways").body();
            Matcher fill = Pattern.compile("\"pool\":\\{[^}]*\"used\":(\\d+)[^}]*\\}").matcher(gateways);
            assertTrue(fill.find(), gateways);
            assertTrue(Long.parseLong(fill.group(1)) >= 1, "the open connection holds a pool port: " + gateways);
            assertTrue(gateways.contains("\"size\":1000"), "1,000 ports, no source NAT: " + gateways);
            String metrics = "";
            for (int i = 0; i < 70 && !metrics.contains("xdpgate_gateway_pool_size{"); i++) { // refreshed every 5 s
                Thread.sleep(100);
                metrics = lab.api().get("/metrics").body();
            }
            assertTrue(metrics.contains("xdpgate_gateway_pool_size{gateway=\"web\"} 1000"), metrics);
            assertTrue(metrics.contains("xdpgate_gateway_pool_used{gateway=\"web\"}"), metrics);
        } finally {
            slow.destroyForcibly();
            slow.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(20)
    void killingTheGatewayFailsClosedThenFailOpenLetsFlowsBypassIt() throws Exception {
        lab.killDaemon();
        var closed = curl("-m", "3", "http://198.18.2.2/index.html?fail-closed");
        assertNotEquals(0, closed.exit(), "fail closed: no answer while the gateway is dead: " + closed.output());
        assertFalse(serverLog().contains("fail-closed"));

        lab.startDaemon();
        String policy = lab.api().get("/api/v1/policy").body()
                .replaceAll("\"failMode\"\\s*:\\s*\"closed\"", "\"failMode\":\"open\"");
        assertTrue(policy.contains("\"failMode\":\"open\""), policy);
        assertEquals(200, lab.api().put("/api/v1/policy", policy).status());
        lab.killDaemon();
        var open = curl("http://198.18.2.2/index.html?fail-open");
        assertEquals(0, open.exit(), open.output());
        assertEquals("hello from xg-server\n", open.output(), "fail open: straight to the server");
        assertTrue(serverLog().contains("fail-open"));

        lab.startDaemon();
        String stats = lab.api().get("/api/v1/stats").body();
        Matcher down = Pattern.compile("\"drop_gw_down\":(\\d+)").matcher(stats);
        assertTrue(down.find() && Long.parseLong(down.group(1)) > 0, "the dead gateway's drops were counted: " + stats);
        Matcher bypass = Pattern.compile("\"gw_bypass\":(\\d+)").matcher(stats);
        assertTrue(bypass.find() && Long.parseLong(bypass.group(1)) > 0, "and the bypass: " + stats);
    }
}
