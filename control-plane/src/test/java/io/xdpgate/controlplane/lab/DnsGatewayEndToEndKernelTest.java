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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DNS gateway in the lab: the lab policy redirects UDP and TCP port 53 to xg-server through
 * the gateway "dns" (names under lab.example, *.blocked.lab.example denied, a type allow list);
 * real dig on xg-client, real dnsmasq on xg-server whose log lists every query that reached it.
 */
@KernelTest
class DnsGatewayEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final Path SERVER_LOG = Path.of("/tmp/xdpgate-lab/dns.log");
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

    /** dig in xg-client: its exit code and output (+short unless {@code full}). */
    private static Lab.Result dig(String server, String name, String type, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dig", "+time=3", "+tries=1", "@" + server, name, type));
        cmd.addAll(List.of(extra));
        return Lab.inNs("xg-client", SHORT, cmd.toArray(String[]::new));
    }

    private static String status(Lab.Result r) {
        Matcher m = Pattern.compile("status: (\\w+)").matcher(r.output());
        assertTrue(m.find(), r.output());
        return m.group(1);
    }

    private static String serverLog() throws Exception {
        return Files.exists(SERVER_LOG) ? Files.readString(SERVER_LOG, StandardCharsets.UTF_8) : "";
    }

    private static long counter(String name) throws Exception {
        String body = lab.api().get("/api/v1/gateways").body();
        Matcher m = Pattern.compile("\"name\":\"dns\".*?\"" + name + "\":(\\d+)").matcher(body);
        assertTrue(m.find(), name + " of dns in " + body);
        return Long.parseLong(m.group(1));
    }

    @Test
    void allowedQueriesAreAnsweredByTheServerOverUdpAndTcpOnBothFamilies() throws Exception {
        long opened = counter("flows_opened");
        assertEquals("198.18.2.80\n", dig("198.18.2.2", "www.lab.example", "A", "+short").output());
        assertEquals("2001:db8:2::80\n", dig("2001:db8:2::2", "WWW.Lab.Example.", "AAAA", "+short").output());
        assertEquals("\"hello from xg-server\"\n", dig("198.18.2.2", "lab.example", "TXT", "+short", "+tcp").output());
        assertEquals("10 mail.lab.example.\n", dig("2001:db8:2::2", "lab.example", "MX", "+short", "+tcp").output());
        assertTrue(counter("flows_opened") >= opened + 4, "each went through the gateway");
        assertTrue(serverLog().contains("query[TXT] lab.example from 198.18.1.2"), serverLog());
    }

    @Test
    void deniedQueriesAreRefusedAndNeverReachTheServer() throws Exception {
        long answered = counter("datagrams_answered");
        assertEquals("REFUSED", status(dig("198.18.2.2", "x.blocked.lab.example", "A")));
        assertEquals("REFUSED", status(dig("2001:db8:2::2", "x.blocked.lab.example", "A")));
        assertEquals("REFUSED", status(dig("198.18.2.2", "x.blocked.lab.example", "A", "+tcp")));
        assertEquals("REFUSED", status(dig("198.18.2.2", "example.com", "A")), "not under lab.example");
        assertEquals("REFUSED", status(dig("198.18.2.2", "www.lab.example", "ANY", "+notcp")), "type not allowed");
        assertEquals("REFUSED", status(dig("198.18.2.2", "version.bind", "TXT", "-c", "CH")), "class CHAOS");
        assertEquals(answered + 5, counter("datagrams_answered"), "the UDP refusals were the gateway's");
        // one label "x.blocked" under lab.example reads as the denied name in text form: malformed, dropped
        long refused = counter("datagrams_refused");
        Lab.Result dotted = dig("198.18.2.2", "x\\.blocked.lab.example", "A");
        assertTrue(dotted.output().contains("timed out"), dotted.output());
        assertEquals(refused + 1, counter("datagrams_refused"));
        assertEquals(answered + 5, counter("datagrams_answered"));
        String log = serverLog();
        assertFalse(log.contains("blocked"), log);
        assertFalse(log.contains("example.com"), log);
        assertFalse(log.contains("version.bind"), log);
    }

    @Test
    void forgedAnswersFromTheServerSideNeverReachTheClient() throws Exception {
        long refused = counter("datagrams_refused");
        String script = Lab.REPO.resolve("control-plane/src/test/resources/lab/dnsspoof.py").toString();
        Lab.Result r = Lab.inNs("xg-client", SHORT, PYTHON, script, "client", "www.lab.example");
        assertEquals(0, r.exit(), r.output());
        assertEquals("id=0x1111 name=www.lab.example answer=198.18.2.80\n", r.output(),
                "only the real answer: not an unasked id, not another name, not a second answer");
        assertEquals(refused + 3, counter("datagrams_refused"));
    }
}
