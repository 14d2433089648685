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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon in the lab writing its flow log as JSON lines to a file: a connection the policy
 * redirects through the web gateway, one it passes, and one it drops each leave parseable records
 * with the tuple, rule, gateway and reason as they happened, while the daemon runs (flushed
 * within a poll, not at exit).
 */
@KernelTest
class FlowLogEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final Path FILE = Lab.RUN.resolve("flowlog/flows.json");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = new Lab();
        lab.startDaemon("--xdpgate.events.log.format=json", "--xdpgate.events.log.output=file",
                "--xdpgate.events.log.file=" + FILE, "--xdpgate.events.log.host=lab-fw");
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    /** Every line of the file, each of which must be a JSON object. */
    private static List<JsonNode> records() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(FILE)) {
            return out;
        }
        String text = Files.readString(FILE, StandardCharsets.UTF_8);
        if (!text.isEmpty()) {
            assertTrue(text.endsWith("\n"), "whole lines only: " + text);
        }
        for (String line : text.lines().toList()) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.isObject(), line);
            assertEquals("lab-fw", n.get("host").asString(), line);
            assertTrue(n.get("timestamp").asString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+0000"), line);
            out.add(n);
        }
        return out;
    }

    /** The first record that matches, waiting up to 5 s (the reader flushes after each poll, <= 100 ms). */
    private static JsonNode awaitRecord(String what, Predicate<JsonNode> match) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<JsonNode> seen;
        do {
            seen = records();
            for (JsonNode n : seen) {
                if (match.test(n)) {
                    return n;
                }
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + what + " in " + FILE + ": " + seen);
    }

    private static boolean is(JsonNode n, String type, int destPort) {
        return n.get("event_type").asString().equals(type) && n.has("dest_port") && n.get("dest_port").asInt() == destPort;
    }

    @Test
    void aRedirectedConnectionIsLoggedWithItsNatTupleRuleAndGateway() throws Exception {
        var r = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "5", "http://198.18.2.2/");
        assertEquals(0, r.exit(), r.output());
        JsonNode redirect = awaitRecord("redirect to port 80", n -> is(n, "redirect", 80));
        assertEquals("198.18.1.2", redirect.get("src_ip").asString());
        assertEquals("198.18.2.2", redirect.get("dest_ip").asString());
        assertEquals("TCP", redirect.get("proto").asString());
        assertEquals("http", redirect.get("rule").asString());
        assertEquals(4, redirect.get("rule_id").asInt(), "the lab policy's rule 4");
        assertEquals("web", redirect.get("gateway").asString());
        assertEquals(0, redirect.get("gateway_id").asInt());
        JsonNode nat = redirect.get("nat");
        assertEquals(redirect.get("src_port").asInt(), nat.get("src_port").asInt(), "the client's port kept");
        assertTrue(nat.get("dest_ip").asString().startsWith("198.18.255."), "towards the gateway: " + nat);
        long flow = redirect.get("flow_id").asLong();
        assertTrue(flow != 0, redirect.toString());
        JsonNode closed = awaitRecord("its close", n -> n.get("event_type").asString().equals("closed")
                && n.has("flow_id") && n.get("flow_id").asLong() == flow);
        assertEquals(nat, closed.get("nat"));
        assertEquals("web", closed.get("gateway").asString());
        String api = lab.api().get("/api/v1/events?limit=100").body();
        assertTrue(api.contains("\"seq\":" + redirect.get("seq").asLong() + ",") && api.contains("\"conn\":" + flow),
                "the same event as the API's: " + api);
    }

    @Test
    void aPassedConnectionIsLoggedTooAsMachinesFilter() throws Exception {
        var r = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "5", "-o", "/dev/null", "http://198.18.2.2:8080/");
        assertEquals(0, r.exit(), r.output());
        JsonNode pass = awaitRecord("new flow to 8080", n -> is(n, "new", 8080));
        assertEquals("http-alt", pass.get("rule").asString());
        assertFalse(pass.has("nat"), pass.toString());
        assertFalse(pass.has("gateway"), pass.toString());
    }

    @Test
    void aDroppedConnectionIsLoggedWithItsRuleAndReason() throws Exception {
        var telnet = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "2", "telnet://198.18.2.2:23");
        assertEquals(28, telnet.exit(), "dropped: " + telnet.output());
        JsonNode drop = awaitRecord("drop of port 23", n -> is(n, "drop", 23));
        assertEquals("198.18.1.2", drop.get("src_ip").asString());
        assertEquals("198.18.2.2", drop.get("dest_ip").asString());
        assertEquals("no-telnet", drop.get("rule").asString());
        assertEquals(3, drop.get("rule_id").asInt());
        assertEquals("policy", drop.get("reason").asString());
        assertFalse(drop.has("flow_id"), "no connection was made: " + drop);
        assertFalse(drop.has("gateway"), drop.toString());
        var other = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "2", "http://198.18.2.2:8081/");
        assertEquals(28, other.exit(), other.output());
        JsonNode dflt = awaitRecord("drop of port 8081", n -> is(n, "drop", 8081));
        assertEquals("default", dflt.get("rule").asString());
        assertFalse(dflt.has("rule_id"), "the default action has no rule id: " + dflt);
        assertEquals("default", dflt.get("reason").asString());
    }
}
