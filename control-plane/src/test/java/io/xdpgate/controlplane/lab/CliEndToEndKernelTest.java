package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.cli.XdpgateCli;
import io.xdpgate.datapath.testing.KernelTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator CLI against the real daemon in the lab, after a few flows: -o json is what a GET
 * of the same path answers, and the tables show the flows' tuples. The flows use fixed client
 * ports, so the tuples are known exactly.
 */
@KernelTest
class CliEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String V4 = "198.18.1.2:47123 -> 198.18.2.2:80";
    private static final String V6 = "[2001:db8:1::2]:47124 -> [2001:db8:2::2]:80";
    private static Lab lab;

    @BeforeAll
    static void upWithFlows() throws Exception {
        lab = new Lab();
        lab.startDaemon();
        var v4 = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "5", "--local-port", "47123", "http://198.18.2.2/");
        assertEquals(0, v4.exit(), v4.output());
        var v6 = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "5", "--local-port", "47124", "-g",
                "http://[2001:db8:2::2]/");
        assertEquals(0, v6.exit(), v6.output());
        // refused by the policy (no-telnet): a drop event
        Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "1", "telnet://198.18.2.2:23");
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--socket";
        all[1] = Lab.SOCKET.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = XdpgateCli.run(all, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, exit, String.join(" ", args) + ": " + err);
        return out.toString();
    }

    /**
     * {@code command -o json} equals GET {@code path} byte for byte, taken when two GETs around the
     * CLI's read agree (the state did not move meanwhile: a late ND packet moves a counter).
     */
    private static void jsonIsTheBody(String path, String command) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            String before = lab.api().get(path).body();
            String printed = cli(command, "-o", "json");
            String after = lab.api().get(path).body();
            if (before.equals(after)) {
                assertEquals(before, printed, command + " -o json");
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(path + " never held still for two reads");
    }

    @Test
    void statusGatewaysEventsAndStatsAsJsonAreTheApisBody() throws Exception {
        jsonIsTheBody("/healthz", "status");
        jsonIsTheBody("/api/v1/gateways", "gateways");
        jsonIsTheBody("/api/v1/events", "events");
        jsonIsTheBody("/api/v1/stats", "stats");
    }

    /** Ages move on every read: the same connections, by id, and each element the API's fields. */
    @Test
    void connsAsJsonAreTheApisConnections() throws Exception {
        Set<String> before = ids(lab.api().get("/api/v1/connections").body());
        JsonNode printed = JSON.readTree(cli("conns", "-o", "json"));
        Set<String> after = ids(lab.api().get("/api/v1/connections").body());
        Set<String> got = ids(printed.toString());
        assertTrue(got.containsAll(after) && before.containsAll(got), got + " between " + before + " and " + after);
        assertTrue(printed.toString().contains("\"srcPort\":47123"), printed.toString());
    }

    @Test
    void theTablesShowTheFlowsTuples() {
        String conns = cli("conns");
        assertTrue(conns.contains("  orig " + V4 + "\n"), conns);
        assertTrue(conns.contains("  orig " + V6 + "\n"), conns);
        assertTrue(conns.contains("  nat  198.18.1.2:47123 -> 198.18.255.1:"), conns);
        String onlyV6 = cli("conns", "--host", "2001:db8:1:0:0:0:0:2");
        assertTrue(onlyV6.contains(V6) && !onlyV6.contains(V4), onlyV6);
        String events = cli("events");
        assertTrue(events.contains(" redirect conn ") && events.contains(V4 + " tcp nat 198.18.1.2:47123 -> "), events);
        assertTrue(events.contains(" drop     conn - 198.18.1.2:"), events);
        String stats = cli("stats");
        assertTrue(stats.matches("(?s).*\ndrop_policy +[1-9]\\d*\n.*"), stats);
        String status = cli("status");
        assertTrue(status.contains("  ext0 ") && status.contains("  int0 ") && status.contains("  web "), status);
        String gateways = cli("gateways");
        assertTrue(gateways.matches("(?s)NAME .*\nweb +http +running +yes .*"), gateways);
    }

    private static Set<String> ids(String body) {
        Set<String> out = new TreeSet<>();
        JSON.readTree(body).forEach(c -> out.add(c.path("id").asString()));
        return out;
    }
}
