package io.xdpgate.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Action;
import io.xdpgate.controlplane.XdpgateDaemon;
import io.xdpgate.controlplane.client.UnixHttpClient;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The daemon started for real (kernel, pinned maps) and its API used over the unix socket. */
@KernelTest
@SpringBootTest(classes = XdpgateDaemon.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ApiOverUnixSocketKernelTest {
    private static final PinDir PINS = new PinDir();
    private static final Path SOCKET = Path.of("/tmp", "xdpgate-test-" + ProcessHandle.current().pid(), "api.sock");

    @Autowired
    LoadedDatapath datapath;

    private final UnixHttpClient api = new UnixHttpClient(SOCKET);

    @DynamicPropertySource
    static void daemon(DynamicPropertyRegistry registry) {
        registry.add("xdpgate.bpf-object", () -> TestObjects.xdpgate().toString());
        registry.add("xdpgate.pin-dir", () -> PINS.path().toString());
        registry.add("xdpgate.state-dir", () -> SOCKET.getParent().resolve("state").toString());
        registry.add("xdpgate.api.socket", SOCKET::toString);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        PINS.close();
        try (var paths = Files.walk(SOCKET.getParent())) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @BeforeEach
    void noConnections() {
        datapath.tables().conns().clear();
        datapath.tables().resetCounters();
    }

    @Test
    void healthAndSocketMode() throws Exception {
        var health = api.get("/healthz");
        assertEquals(200, health.status());
        assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(SOCKET)));
    }

    @Test
    void connectionsCanBeListedAndRemoved() throws Exception {
        datapath.policy().apply(PolicyCompiler.compile(List.of(Rule.builder(3).tcp().ports("80").pass().build()),
                Action.DROP));
        var run = datapath.program().testRun(TestRunRequest.of(
                new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(40123, 80).syn().build()));
        assertEquals(XdpAction.PASS, run.xdpAction());

        var list = api.get("/api/v1/connections");
        assertEquals(200, list.status());
        assertTrue(list.body().contains("198.18.1.2:40123 -> 198.18.2.2:80 tcp"), list.body());
        assertTrue(list.body().contains("\"state\":\"syn_sent\""), list.body());
        long id = datapath.tables().conns().entries().get(0).value().id();

        assertEquals(204, api.delete("/api/v1/connections/" + id).status());
        assertEquals("[]", api.get("/api/v1/connections").body());
        var again = api.delete("/api/v1/connections/" + id);
        assertEquals(404, again.status());
        assertTrue(again.header("content-type").startsWith("application/problem+json"), again.headers().toString());
        assertTrue(again.body().contains("no connection with id " + id), again.body());

        var stats = api.get("/api/v1/stats");
        assertTrue(stats.body().contains("\"new_flow\":1"), stats.body());
        assertTrue(stats.body().contains("\"drop_tcp_no_conn\":0"), stats.body());

        var metrics = api.get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("xdpgate_packets_total{counter=\"new_flow\"} 1.0"), metrics.body());
    }

    @Test
    void aBadPolicyIsRejectedWithThePathAndTheGoodOneStays() throws Exception {
        String good = "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"web\",\"protocol\":\"tcp\","
                + "\"ports\":\"80\",\"action\":\"pass\"}]}";
        var applied = api.put("/api/v1/policy", good);
        assertEquals(200, applied.status(), applied.body());
        assertTrue(Files.readString(SOCKET.getParent().resolve("state/policy.json")).contains("\"web\""),
                "persisted");

        String bad = "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"web\",\"protocol\":\"tcp\","
                + "\"ports\":\"80-70000\",\"action\":\"pass\"}]}";
        var refused = api.put("/api/v1/policy", bad);
        assertEquals(400, refused.status());
        assertTrue(refused.header("content-type").startsWith("application/problem+json"));
        assertTrue(refused.body().contains("\"path\":\"/rules/0/ports\""), refused.body());
        assertEquals(400, api.post("/api/v1/policy:validate", bad).status());
        assertEquals(200, api.post("/api/v1/policy:validate", good).status());

        var current = api.get("/api/v1/policy");
        assertTrue(current.body().contains("\"ports\" : \"80\""), "the good policy is still in force: " + current.body());
        var run = datapath.program().testRun(TestRunRequest.of(
                new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(40999, 80).syn().build()));
        assertEquals(XdpAction.PASS, run.xdpAction(), "and the kernel enforces it");
        var other = datapath.program().testRun(TestRunRequest.of(
                new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(40999, 81).syn().build()));
        assertEquals(XdpAction.DROP, other.xdpAction());
    }

    @Test
    void aGatewayOfAProtocolNoFactoryServesIsRefusedAndTheOldPolicyStays() throws Exception {
        String before = api.get("/api/v1/policy").body();
        String withGateway = "{\"defaultAction\":\"drop\",\"gateways\":[{\"name\":\"web\",\"protocol\":\"gopher\","
                + "\"address4\":\"198.18.100.1\",\"ports\":\"40000-40999\",\"failMode\":\"open\"}],"
                + "\"rules\":[{\"name\":\"web-in\",\"protocol\":\"tcp\",\"ports\":\"80\",\"action\":\"redirect\","
                + "\"gateway\":\"web\"}]}";
        var put = api.put("/api/v1/policy", withGateway);
        assertEquals(400, put.status(), put.body());
        assertTrue(put.body().contains("/gateways/0/protocol"), put.body());
        assertTrue(put.body().contains("no gateway here speaks \\\"gopher\\\": this daemon has dns, ftp, http, smtp, tls"),
                put.body());
        assertEquals(before, api.get("/api/v1/policy").body(), "the policy in force is unchanged");
        assertFalse(api.get("/api/v1/gateways").body().contains("gopher"), "nothing of it deployed");
    }

    @Test
    void theCliSpeaksToTheDaemon() throws Exception {
        Path bad = Files.createTempFile(SOCKET.getParent(), "bad-", ".json");
        Files.writeString(bad, "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"x\",\"protocol\":\"tcp\","
                + "\"ports\":\"99999\",\"action\":\"pass\"}]}");
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        int exit = io.xdpgate.controlplane.cli.XdpgateCli.run(new String[] {"--socket", SOCKET.toString(), "policy",
                "validate", bad.toString()}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        assertEquals(1, exit, "the daemon refused it");
        assertTrue(err.toString().contains("/rules/0/ports"), err.toString());
        exit = io.xdpgate.controlplane.cli.XdpgateCli.run(new String[] {"--socket", SOCKET.toString(), "stats"},
                new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        assertEquals(0, exit);
        assertTrue(out.toString().contains("\ngc: removed idle "), out.toString());
        var json = new java.io.StringWriter();
        exit = io.xdpgate.controlplane.cli.XdpgateCli.run(new String[] {"--socket", SOCKET.toString(), "stats", "-o",
                "json"}, new java.io.PrintWriter(json, true), new java.io.PrintWriter(err, true));
        assertEquals(0, exit);
        assertTrue(json.toString().startsWith("{\"counters\":{"), json.toString());
    }
}
