package io.xdpgate.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** -o json and yaml, the daemon's refusals, the policy summaries and the exit codes, through the real client. */
class CliOutputTest {
    private CannedDaemon daemon;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        daemon = new CannedDaemon();
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private CliFixtures.Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--socket";
        all[1] = daemon.socket().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliFixtures.run(all);
    }

    @ParameterizedTest
    @CsvSource({"status, /healthz, healthz.json", "stats, /api/v1/stats, stats.json",
        "conns, /api/v1/connections, connections.json", "gateways, /api/v1/gateways, gateways.json",
        "events, /api/v1/events, events.json"})
    void jsonIsTheBodyByteForByte(String command, String path, String resource) {
        daemon.ok(path, resource);
        CliFixtures.Run r = run(command, "-o", "json");
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(CliFixtures.resource("cli/api/" + resource), r.out().getBytes(StandardCharsets.UTF_8));
        assertEquals(java.util.List.of("GET " + path), daemon.requests, "one read, nothing else asked");
    }

    @Test
    void jsonKeepsTheDaemonsBytesEvenPrettyAndNonAscii() {
        byte[] body = "{\n  \"status\" : \"ok\",\n  \"note\" : \"ünïcode ✓\"\n}\n".getBytes(StandardCharsets.UTF_8);
        daemon.answer("/healthz", 200, "application/json", body);
        assertArrayEquals(body, run("status", "-o", "json").out().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void yamlIsTheSameDocument() {
        daemon.ok("/api/v1/stats", "stats.json");
        CliFixtures.Run r = run("stats", "-o", "yaml");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  drop_policy: 2\n"), r.out());
        assertTrue(r.out().contains("connections: 3\n"), r.out());
    }

    @Test
    void connsFilteredAsJsonAreTheMatchingElements() {
        daemon.ok("/api/v1/connections", "connections.json").ok("/api/v1/gateways", "gateways.json");
        CliFixtures.Run r = run("conns", "--gateway", "dns", "-o", "json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("[{\"id\":1,"), r.out());
        assertEquals(1, r.out().split("\"id\":").length - 1, r.out());
    }

    @Test
    void anUnknownGatewayNameIsAUsageErrorNamingTheKnownOnes() {
        daemon.ok("/api/v1/connections", "connections.json").ok("/api/v1/gateways", "gateways.json");
        CliFixtures.Run r = run("conns", "--gateway", "nosuch");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no gateway named nosuch") && r.err().contains("web"), r.err());
    }

    @Test
    void aHostThatIsNotAnAddressIsAUsageError() {
        CliFixtures.Run r = run("conns", "--host", "example.com");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not an IP address: example.com"), r.err());
        assertTrue(daemon.requests.isEmpty(), "no request, and no DNS lookup");
    }

    @Test
    void aRejectedPolicyPrintsTitleDetailAndEachViolationOnStderr() throws Exception {
        daemon.answer("/api/v1/policy", 400, "application/problem+json", CliFixtures.resource("cli/api/problem.json"));
        Path file = Files.writeString(dir.resolve("p.json"), "{}");
        CliFixtures.Run r = run("policy", "apply", file.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("xdpgate: Bad Request (400)\n  2 problems, see violations\n"
                + "  rules[0].ports: not a port or range: 70000\n  (document): no rules\n", r.err());
    }

    @Test
    void anAppliedPolicyIsOneLineAndJsonIsTheBody() throws Exception {
        String body = "{\"applied\":true,\"rules\":12,\"gateways\":5}";
        daemon.answer("/api/v1/policy", 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
        Path file = Files.writeString(dir.resolve("p.json"), "{}");
        assertEquals("applied " + file + ": 12 rules, 5 gateways\n", run("policy", "apply", file.toString()).out());
        assertEquals(body, run("policy", "apply", "-o", "json", file.toString()).out());
    }

    @Test
    void aValidPolicySaysSo() throws Exception {
        daemon.answer("/api/v1/policy:validate", 200, "application/json", "{\"valid\":true}".getBytes(StandardCharsets.UTF_8));
        Path file = Files.writeString(dir.resolve("p.json"), "{}");
        CliFixtures.Run r = run("policy", "validate", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(file + ": valid\n", r.out());
    }

    @Test
    void aRefusalWithoutProblemJsonShowsStatusAndBody() {
        daemon.answer("/api/v1/stats", 503, "text/plain", "busy".getBytes(StandardCharsets.UTF_8));
        CliFixtures.Run r = run("stats");
        assertEquals(1, r.exit());
        assertEquals("xdpgate: the daemon answered 503: busy\n", r.err());
    }

    @Test
    void policyGetIsTheDocumentAsIs() {
        daemon.ok("/api/v1/policy", "connections.json");
        assertEquals(CliFixtures.text("cli/api/connections.json"), run("policy", "get").out());
    }

    @Test
    void watchPrintsRatesOverTheIntervalAndEnds() {
        daemon.ok("/api/v1/stats", "stats.json").ok("/api/v1/stats", "stats-later.json");
        CliFixtures.Run r = run("stats", "--watch", "0.2", "--count", "1");
        assertEquals(0, r.exit(), r.err());
        assertEquals(2, daemon.requests.size());
        assertTrue(r.out().matches("(?s)\\d\\d:\\d\\d:\\d\\d\nCOUNTER +TOTAL +PER SECOND\npass +62 +\\d+.*"), r.out());
        assertTrue(r.out().contains("connections: 3 (rates over 0."), r.out());
    }
}
