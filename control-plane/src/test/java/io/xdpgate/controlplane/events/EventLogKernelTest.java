package io.xdpgate.controlplane.events;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.XdpgateDaemon;
import io.xdpgate.controlplane.cli.XdpgateCli;
import io.xdpgate.controlplane.client.UnixHttpClient;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestObjects;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon started for real; crafted frames through BPF_PROG_TEST_RUN make the program write
 * events, which the reader thread turns into GET /api/v1/events answers and flow log lines.
 * The methods build on each other (one daemon, one event stream), hence the order.
 */
@KernelTest
@SpringBootTest(classes = XdpgateDaemon.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventLogKernelTest {
    private static final PinDir PINS = new PinDir();
    private static final Path RUN = Path.of("/tmp", "xdpgate-events-test-" + ProcessHandle.current().pid());
    private static final Path SOCKET = RUN.resolve("api.sock");
    private static final int DROP_LOG_RATE = 3;
    /**
     * Rule 0 passes ssh, rule 1 redirects web to gateway 1 ("http", hosted by the daemon); gateway 0
     * is there to shift the ids.
     */
    private static final String POLICY = """
            {"defaultAction": "drop",
             "gateways": [
               {"name": "raw", "protocol": "tls", "address4": "198.18.254.1", "ports": "30000-30099"},
               {"name": "http", "protocol": "http", "address4": "198.18.255.1", "ports": "40000-40999"}],
             "rules": [
               {"name": "ssh", "protocol": "tcp", "ports": "22", "action": "pass"},
               {"name": "web", "protocol": "tcp", "ports": "80", "action": "redirect", "gateway": "http"}]}
            """;
    /** Held: JUL keeps loggers weakly. */
    private static final Logger FLOWS = Logger.getLogger(FlowLog.LOGGER);
    private static final List<String> LINES = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            LINES.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    LoadedDatapath datapath;
    @Autowired
    PolicyService policies;
    @Autowired
    EventReader reader;

    private final UnixHttpClient api = new UnixHttpClient(SOCKET);

    @DynamicPropertySource
    static void daemon(DynamicPropertyRegistry registry) {
        registry.add("xdpgate.bpf-object", () -> TestObjects.xdpgate().toString());
        registry.add("xdpgate.pin-dir", () -> PINS.path().toString());
        registry.add("xdpgate.state-dir", () -> RUN.resolve("state").toString());
        registry.add("xdpgate.api.socket", SOCKET::toString);
        registry.add("xdpgate.events.drop-log-rate", () -> DROP_LOG_RATE);
    }

    @BeforeAll
    static void captureFlowLog() {
        FLOWS.addHandler(CAPTURE);
        FLOWS.setLevel(Level.FINE); // passed connections' lines too
    }

    @AfterAll
    static void cleanUp() throws Exception {
        FLOWS.removeHandler(CAPTURE);
        FLOWS.setLevel(null);
        PINS.close();
        try (var paths = Files.walk(RUN)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    @Order(1)
    void realFlowsAreReportedWithTheirTuplesAndNames() throws Exception {
        LINES.clear();
        assertEquals(200, api.put("/api/v1/policy", POLICY).status());
        Instant before = Instant.now();

        assertEquals(XdpAction.REDIRECT, send(v4(40312, 80).syn()));
        assertEquals(XdpAction.PASS, send(v4(40313, 22).syn().seq(7)));
        long web = connId(tuple("198.18.1.2", 40312, "198.18.2.2", 80));
        long ssh = connId(tuple("198.18.1.2", 40313, "198.18.2.2", 22));
        assertEquals(XdpAction.PASS, send(v4(40313, 22).rst().seq(8)));
        assertEquals(XdpAction.PASS, send(new PacketBuilder().ipv6("2001:db8:1::2", "2001:db8:2::2").tcp(40315, 22).syn()));
        long ssh6 = connId(tuple("2001:db8:1::2", 40315, "2001:db8:2::2", 22));
        assertEquals(XdpAction.DROP, send(v4(40314, 23).syn()));

        List<JsonNode> events = awaitEvents(0, 5);
        Instant after = Instant.now();
        assertEquals(5, events.size(), events.toString());
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, events.get(i).get("seq").asLong(), "numbered from 1, newest last");
            Instant t = Instant.parse(events.get(i).get("time").asString());
            // the kernel's coarse clock may lag a tick behind
            assertTrue(!t.isBefore(before.minusMillis(50)) && !t.isAfter(after), t + " within the test");
        }

        JsonNode redirect = events.get(0);
        assertEquals("redirect", redirect.get("type").asString());
        assertEquals(web, redirect.get("conn").asLong());
        assertTuple(redirect.get("original"), "198.18.1.2", 40312, "198.18.2.2", 80);
        int poolPort = redirect.get("nat").get("dstPort").asInt(); // where the pool search starts is hashed
        assertTrue(poolPort >= 40000 && poolPort <= 40999, "a port of the pool: " + poolPort);
        assertTuple(redirect.get("nat"), "198.18.1.2", 40312, "198.18.255.1", poolPort);
        assertEquals("web", redirect.get("rule").asString());
        assertEquals(1, redirect.get("ruleId").asInt());
        assertEquals("http", redirect.get("gateway").asString());
        assertEquals(1, redirect.get("gatewayId").asInt());
        assertTrue(redirect.get("reason").isNull());

        JsonNode opened = events.get(1);
        assertEquals("new", opened.get("type").asString());
        assertEquals(ssh, opened.get("conn").asLong());
        assertTuple(opened.get("original"), "198.18.1.2", 40313, "198.18.2.2", 22);
        assertTrue(opened.get("nat").isNull());
        assertEquals("ssh", opened.get("rule").asString());
        assertEquals(0, opened.get("ruleId").asInt());
        assertTrue(opened.get("gateway").isNull());
        assertTrue(opened.get("gatewayId").isNull());

        JsonNode closed = events.get(2);
        assertEquals("closed", closed.get("type").asString());
        assertEquals(ssh, closed.get("conn").asLong());
        assertTuple(closed.get("original"), "198.18.1.2", 40313, "198.18.2.2", 22);
        assertEquals("ssh", closed.get("rule").asString());

        JsonNode v6 = events.get(3);
        assertEquals("new", v6.get("type").asString());
        assertEquals(ssh6, v6.get("conn").asLong());
        assertTuple(v6.get("original"), "2001:db8:1::2", 40315, "2001:db8:2::2", 22);
        assertEquals("[2001:db8:1::2]:40315 -> [2001:db8:2::2]:22 tcp", v6.get("original").get("text").asString());

        JsonNode drop = events.get(4);
        assertEquals("drop", drop.get("type").asString());
        assertTrue(drop.get("conn").isNull(), "a refused flow has no connection");
        assertTuple(drop.get("original"), "198.18.1.2", 40314, "198.18.2.2", 23);
        assertEquals("default", drop.get("rule").asString());
        assertTrue(drop.get("ruleId").isNull());
        assertEquals("default", drop.get("reason").asString());
        assertTrue(drop.get("gateway").isNull());

        await(() -> LINES.size() >= 5, "five flow log lines");
        assertEquals(List.of(
                "event=redirect conn=" + web + " orig=tcp 198.18.1.2:40312 -> 198.18.2.2:80"
                        + " nat=tcp 198.18.1.2:40312 -> 198.18.255.1:" + poolPort + " rule=web gateway=http",
                "event=new conn=" + ssh + " orig=tcp 198.18.1.2:40313 -> 198.18.2.2:22 rule=ssh",
                "event=closed conn=" + ssh + " orig=tcp 198.18.1.2:40313 -> 198.18.2.2:22 rule=ssh",
                "event=new conn=" + ssh6 + " orig=tcp [2001:db8:1::2]:40315 -> [2001:db8:2::2]:22 rule=ssh",
                "event=drop orig=tcp 198.18.1.2:40314 -> 198.18.2.2:23 rule=default reason=default"), LINES);

        assertEquals(List.of(1L), seqs(get("/api/v1/events?type=redirect")));
        assertEquals(List.of(2L, 3L), seqs(get("/api/v1/events?conn=" + ssh)));
        assertEquals(List.of(3L), seqs(get("/api/v1/events?conn=" + ssh + "&type=closed")));
        assertEquals(List.of(4L, 5L), seqs(get("/api/v1/events?limit=2")));
        assertEquals(List.of(), seqs(get("/api/v1/events?conn=12345")));
    }

    @Test
    @Order(2)
    void badParametersAreProblemsAndTheCliShowsEvents() throws Exception {
        for (String bad : List.of("limit=0", "limit=x", "type=accept", "conn=-3")) {
            var r = api.get("/api/v1/events?" + bad);
            assertEquals(400, r.status(), bad + ": " + r.body());
            assertTrue(r.header("content-type").startsWith("application/problem+json"), r.headers().toString());
            JsonNode problem = JSON.readTree(r.body());
            assertEquals(bad.substring(0, bad.indexOf('=')), problem.get("parameter").asString());
            assertTrue(problem.get("detail").asString().startsWith(bad + ": "), r.body());
        }

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, XdpgateCli.run(new String[] {"--socket", SOCKET.toString(), "events", "--type", "redirect", "-o", "json",
                "--limit", "5"}, new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
        JsonNode shown = JSON.readTree(out.toString());
        assertEquals(1, shown.size(), out.toString());
        String nat = shown.get(0).get("nat").get("text").asString();
        assertTrue(nat.matches("198\\.18\\.1\\.2:40312 -> 198\\.18\\.255\\.1:40\\d{3} tcp"), nat);
        assertEquals(1, XdpgateCli.run(new String[] {"--socket", SOCKET.toString(), "events", "--type", "bogus"},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(err.toString().contains("type=bogus: must be one of new, redirect, closed, drop"), err.toString());
    }

    @Test
    @Order(3)
    void aDropFloodIsLoggedAtTheRateLimitButKeptWhole() throws Exception {
        Thread.sleep(FlowLog.WINDOW_NS / 1_000_000 + 100); // the drop of the first test starts no window here
        LINES.clear();
        long baseline = lastSeq();
        for (int i = 0; i < 10; i++) {
            assertEquals(XdpAction.DROP, send(v4(41000 + i, 23).syn()));
        }
        List<JsonNode> drops = awaitEvents(baseline, 10);
        assertEquals(10, drops.size());
        for (int i = 0; i < 10; i++) {
            assertEquals("drop", drops.get(i).get("type").asString());
            assertEquals(41000 + i, drops.get(i).get("original").get("srcPort").asInt());
        }
        await(() -> LINES.size() >= DROP_LOG_RATE + 1, "three drop lines and the summary");
        assertEquals(List.of(
                "event=drop orig=tcp 198.18.1.2:41000 -> 198.18.2.2:23 rule=default reason=default",
                "event=drop orig=tcp 198.18.1.2:41001 -> 198.18.2.2:23 rule=default reason=default",
                "event=drop orig=tcp 198.18.1.2:41002 -> 198.18.2.2:23 rule=default reason=default",
                "event=drop-suppressed count=7 limit=3/s"), LINES);

        String metrics = api.get("/metrics").body();
        assertTrue(metrics.contains("xdpgate_events_log_suppressed_total 7.0"), metrics);
        assertTrue(metrics.contains("xdpgate_events_total 15.0"), metrics);
    }

    @Test
    @Order(4)
    void stopJoinsTheThreadAndARestartedReaderFindsWhatWasWrittenMeanwhile() throws Exception {
        Thread thread = reader.thread();
        assertNotNull(thread);
        assertEquals("xdpgate-events", thread.getName());
        reader.stop();
        assertFalse(thread.isAlive(), "stop returned after the thread ended");
        assertNull(reader.thread());
        long baseline = lastSeq();

        assertEquals(XdpAction.PASS, send(v4(40400, 22).syn()));
        Thread.sleep(300);
        assertEquals(List.of(), seqs(get("/api/v1/events?limit=1")).stream().filter(s -> s > baseline).toList(),
                "nobody reads while stopped");

        reader.start();
        List<JsonNode> events = awaitEvents(baseline, 1);
        assertEquals(1, events.size());
        assertEquals(connId(tuple("198.18.1.2", 40400, "198.18.2.2", 22)), events.get(0).get("conn").asLong(),
                "the event waited in the ring");
        assertEquals(0, reader.malformed());
    }

    private static PacketBuilder v4(int sport, int dport) {
        return new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(sport, dport);
    }

    private XdpAction send(PacketBuilder packet) {
        return datapath.program().testRun(TestRunRequest.of(packet.build())).xdpAction();
    }

    private static Tuple tuple(String src, int sport, String dst, int dport) throws Exception {
        return Tuple.of(InetAddress.getByName(src), sport, InetAddress.getByName(dst), dport, 6);
    }

    private long connId(Tuple original) {
        return datapath.tables().conns().get(original).orElseThrow(() -> new AssertionError("no connection " + original))
                .id();
    }

    private static void assertTuple(JsonNode t, String src, int sport, String dst, int dport) {
        assertEquals(src, t.get("src").asString(), t.toString());
        assertEquals(sport, t.get("srcPort").asInt(), t.toString());
        assertEquals(dst, t.get("dst").asString(), t.toString());
        assertEquals(dport, t.get("dstPort").asInt(), t.toString());
        assertEquals("tcp", t.get("protocol").asString(), t.toString());
    }

    private JsonNode get(String path) throws Exception {
        var r = api.get(path);
        assertEquals(200, r.status(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static List<Long> seqs(JsonNode events) {
        List<Long> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("seq").asLong()));
        return out;
    }

    private long lastSeq() throws Exception {
        List<Long> last = seqs(get("/api/v1/events?limit=1"));
        return last.isEmpty() ? 0 : last.get(0);
    }

    /** The events after {@code baseline}, once there are {@code n} of them (or after 5 s). */
    private List<JsonNode> awaitEvents(long baseline, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<JsonNode> out = new ArrayList<>();
            get("/api/v1/events?limit=4096").forEach(e -> {
                if (e.get("seq").asLong() > baseline) {
                    out.add(e);
                }
            });
            if (out.size() >= n || System.nanoTime() > deadline) {
                return out;
            }
            Thread.sleep(20);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; flow log: " + LINES);
            }
            Thread.sleep(20);
        }
    }
}
