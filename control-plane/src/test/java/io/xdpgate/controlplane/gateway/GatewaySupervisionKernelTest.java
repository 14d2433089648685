package io.xdpgate.controlplane.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import io.xdpgate.controlplane.XdpgateDaemon;
import io.xdpgate.controlplane.client.UnixHttpClient;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.testing.Commands;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestNetwork;
import io.xdpgate.datapath.testing.TestObjects;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewayFactory;
import io.xdpgate.gateways.spi.Transport;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The watchdog against real gateway runtimes: a client namespace sends SYNs through the daemon's
 * packet processor (attached to the client's veth) to a hosted test gateway ("probe", protocol
 * tcp, which this test supplies) whose session open misbehaves by destination port: 81 throws an
 * Error (the runtime thread dies), 82 sleeps 3 s (a stall that ends when interrupted), 83 spins
 * 4 s ignoring interrupts (stuck). Each time: noticed within a second, the gateway's socket out of
 * gw_xsks so a redirected test packet is dropped with drop_gw_down (fail closed), one WARN line,
 * the counter; then the runtime restarted and the client's traffic redirected to it again. With two
 * instances, the one that fails is left out of new flows (and its own follow the fail mode) while
 * the other serves, and the kernel spreads new flows by the load each instance reports.
 */
@KernelTest
@SpringBootTest(classes = {XdpgateDaemon.class, GatewaySupervisionKernelTest.ProbeGateways.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class GatewaySupervisionKernelTest {
    private static final PinDir PINS = new PinDir();
    private static final Path RUN = Path.of("/tmp", "xdpgate-supervision-test-" + ProcessHandle.current().pid());
    private static final Path SOCKET = RUN.resolve("api.sock");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The daemon's restart delay here: long enough to look at the gateway while it is down. */
    private static final long RESTART_DELAY_MS = 2000;
    private static final AtomicInteger PORTS = new AtomicInteger(50000);
    /** Source ports of the test's BPF_PROG_TEST_RUN SYNs: flows no runtime saw. */
    private static final Set<Integer> testSynPorts = ConcurrentHashMap.newKeySet();
    private static final String SERVER_NET = "198.18.2.0/24";
    private static final TestNetwork NET = new TestNetwork();
    private static String clientNs;
    private static String outside;
    private static final HostWarnings HOST_WARNINGS = new HostWarnings();
    private static final List<String> WARNINGS = HOST_WARNINGS.lines();

    private static final String NO_GATEWAY = """
            {"defaultAction": "drop", "rules": [{"name": "rest", "action": "pass"}]}
            """;
    private static final String PROBE = """
            {"defaultAction": "drop",
             "gateways": [{"name": "probe", "protocol": "tcp", "address4": "198.18.255.9", "ports": "45000-45999",
                           "failMode": "closed"}],
             "rules": [{"name": "probe", "from": "198.18.1.0/24", "protocol": "tcp", "ports": "80-83",
                        "action": "redirect", "gateway": "probe"}]}
            """;

    private static final String PROBE_TWICE = PROBE.replace("\"failMode\": \"closed\"",
            "\"failMode\": \"closed\", \"instances\": 2");

    @Autowired
    LoadedDatapath datapath;

    private final UnixHttpClient api = new UnixHttpClient(SOCKET);
    private final List<Process> clients = new ArrayList<>();

    /** The test's own "tcp" gateway next to the build's, misbehaving by destination port. */
    @TestConfiguration
    static class ProbeGateways {
        @Bean
        @Primary
        GatewayFactories probeFactories() {
            List<GatewayFactory> all = new ArrayList<>();
            GatewayFactories found = GatewayFactories.discover();
            for (String p : found.protocols()) {
                all.add(found.forProtocol(p).orElseThrow());
            }
            all.add(new Probe());
            return GatewayFactories.of(all);
        }
    }

    /** An Error is what the runtime does not catch: its thread dies. */
    static final class ProbeCrash extends Error {
        private static final long serialVersionUID = 1L;

        ProbeCrash() {
            super("the probe gateway crashes on purpose");
        }
    }

    static final class Probe implements GatewayFactory {
        @Override
        public String protocol() {
            return "tcp";
        }

        @Override
        public Set<Transport> transports() {
            return Set.of(Transport.TCP);
        }

        @Override
        public List<String> configKeys() {
            return List.of();
        }

        @Override
        public ApplicationGateway create(Map<String, Object> config) {
            return Probe::open;
        }

        private static GatewaySession open(FlowContext flow) {
            switch (flow.server().getPort()) {
                case 81 -> throw new ProbeCrash();
                case 82 -> {
                    try {
                        Thread.sleep(3000);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("the stalled session was interrupted", e);
                    }
                }
                case 83 -> {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }
                default -> {
                }
            }
            return new GatewaySession() {
                @Override
                public Verdict onClientBytes(long offset, ByteBuffer bytes) {
                    return Verdict.allowFlow();
                }

                @Override
                public Verdict onServerBytes(long offset, ByteBuffer bytes) {
                    return Verdict.allowFlow();
                }
            };
        }
    }

    @DynamicPropertySource
    static void daemon(DynamicPropertyRegistry registry) {
        if (clientNs == null) {
            network();
            HOST_WARNINGS.attach();
        }
        registry.add("xdpgate.bpf-object", () -> TestObjects.xdpgate().toString());
        registry.add("xdpgate.pin-dir", () -> PINS.path().toString());
        registry.add("xdpgate.state-dir", () -> RUN.resolve("state").toString());
        registry.add("xdpgate.api.socket", SOCKET::toString);
        registry.add("xdpgate.interfaces[0].name", () -> outside);
        registry.add("xdpgate.interfaces[0].role", () -> "external");
        registry.add("xdpgate.gateways.watchdog-interval", () -> "50ms");
        registry.add("xdpgate.gateways.stall-timeout", () -> "500ms");
        registry.add("xdpgate.gateways.restart-delay", () -> RESTART_DELAY_MS + "ms");
    }

    /** The client: 198.18.1.2 in its own namespace, behind a veth whose outer end the daemon guards. */
    private static void network() {
        clientNs = NET.netns("c");
        String[] pair = NET.veth("o", "i");
        outside = pair[0];
        Commands.run("ip", "link", "set", pair[1], "netns", clientNs);
        Commands.run("ip", "addr", "add", "198.18.1.1/24", "dev", outside);
        Commands.run("ip", "-n", clientNs, "addr", "add", "198.18.1.2/24", "dev", pair[1]);
        Commands.run("ip", "-n", clientNs, "link", "set", pair[1], "up");
        Commands.run("ip", "-n", clientNs, "route", "add", "default", "via", "198.18.1.1");
        // frames cross XDP and AF_XDP: they must carry complete checksums
        Commands.run("ethtool", "-K", outside, "tx", "off");
        Commands.run("ip", "netns", "exec", clientNs, "ethtool", "-K", pair[1], "tx", "off");
        // what the gateway lets through is restored and handed to this namespace's stack: it must
        // go nowhere (the server address is not reachable from here, and must not be routed out)
        Commands.runIgnoringFailure("ip", "route", "del", "blackhole", SERVER_NET);
        Commands.run("ip", "route", "add", "blackhole", SERVER_NET);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        HOST_WARNINGS.detach();
        Commands.runIgnoringFailure("ip", "route", "del", "blackhole", SERVER_NET);
        NET.close();
        PINS.close();
        try (var paths = Files.walk(RUN)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A fresh probe gateway (removed and added: its restart back-off starts over) serving. */
    @BeforeEach
    void freshGateway() throws Exception {
        assertEquals(200, api.put("/api/v1/policy", NO_GATEWAY).status());
        var r = api.put("/api/v1/policy", PROBE);
        assertEquals(200, r.status(), r.body());
        await("the probe gateway runs", 5000, () -> "running".equals(probe().path("state").asString("")));
        WARNINGS.clear();
    }

    @AfterEach
    void stopClients() throws Exception {
        for (Process p : clients) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private JsonNode probe() {
        try {
            for (JsonNode g : JSON.readTree(api.get("/api/v1/gateways").body())) {
                if (g.get("name").asString().equals("probe")) {
                    return g;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no gateway probe");
    }

    private long restarts(String cause) {
        return probe().path("restarts").path(cause).asLong(0);
    }

    private long counter(String name) {
        return probe().path("counters").path(name).asLong(0);
    }

    /** One connection attempt from the client to 198.18.2.2:{port}: a single SYN (curl gives up before it retries). */
    private void connect(int port) throws Exception {
        clients.add(new ProcessBuilder("ip", "netns", "exec", clientNs, "curl", "-s", "-o", "/dev/null", "-m", "0.5",
                "http://198.18.2.2:" + port + "/").redirectErrorStream(true).start());
    }

    /** A SYN of the redirected kind through BPF_PROG_TEST_RUN, as if it arrived on the client's veth. */
    private XdpAction testSyn() {
        int port = PORTS.incrementAndGet();
        testSynPorts.add(port);
        return datapath.program().testRun(TestRunRequest.of(
                new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(port, 80).syn().build())
                .withIngressIfindex(NetDevice.ifindex(outside))).xdpAction();
    }

    private static void await(String what, long ms, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not within " + ms + " ms");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Triggers the failure with a SYN to {@code port}, then checks: noticed within a second, counted,
     * one WARN line, fail closed while down (drop_gw_down), restarted, and traffic reaching it again.
     */
    private void failsAndComesBack(int port, String cause) throws Exception {
        assertEquals(XdpAction.REDIRECT, testSyn(), "up before");
        long before = restarts(cause); // counters stay across policy changes: count from here
        long t0 = System.nanoTime();
        connect(port);
        await("the watchdog notices (" + cause + ")", 3000, () -> restarts(cause) == before + 1);
        long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(noticedMs < 1000, cause + " noticed after " + noticedMs + " ms");

        JsonNode down = probe();
        assertEquals("restarting", down.get("state").asString(), down.toString());
        assertFalse(down.get("active").asBoolean(), down.toString());
        assertEquals(cause, down.get("lastRestartCause").asString());
        long dropsBefore = datapath.tables().counter(Stat.DROP_GW_DOWN);
        assertEquals(XdpAction.DROP, testSyn(), "fail closed while the gateway is down");
        assertEquals(dropsBefore + 1, datapath.tables().counter(Stat.DROP_GW_DOWN));

        List<String> lines = WARNINGS.stream().filter(l -> l.contains("cause=" + cause)).toList();
        assertEquals(1, lines.size(), WARNINGS.toString());
        assertTrue(lines.get(0).contains("gateway=probe"), lines.get(0));

        await("the restart", RESTART_DELAY_MS + 3000, () -> "running".equals(probe().path("state").asString("")));
        assertTrue(probe().get("active").asBoolean());
        assertEquals(XdpAction.REDIRECT, testSyn(), "redirected again");
        connect(80);
        await("the client's SYN reaches the new runtime", 3000, () -> counter("frames_in") > 0);
        assertTrue(counter("flows_opened") >= 1);

        String metrics = api.get("/metrics").body();
        assertTrue(metrics.contains("xdpgate_gateway_restarts_total{cause=\"" + cause + "\",gateway=\"probe\"} "
                + (before + 1) + ".0"),
                metrics.lines().filter(l -> l.contains("restarts")).toList().toString());
    }

    /** The instance of each flow from the client to {@code port} the kernel made since {@code before}. */
    private int[] newFlowsByInstance(Set<Tuple> before, int port) {
        int[] per = new int[2];
        for (var e : datapath.tables().conns().entries()) {
            if (!before.contains(e.key()) && e.key().dport() == port && !testSynPorts.contains(e.key().sport())) {
                per[e.value().gwInst()]++;
            }
        }
        return per;
    }

    private Set<Tuple> flowsNow() {
        return new HashSet<>(datapath.tables().conns().keys());
    }

    private int flowsOf(int instance) {
        return probe().path("instances").path(instance).path("flows").asInt(-1);
    }

    /** A client connection to {@code port}, waited for until the runtimes track one flow more. */
    private void connectAndWait(int port) throws Exception {
        int before = probe().path("flows").asInt();
        connect(port);
        await("the runtime sees the SYN to " + port, 3000, () -> probe().path("flows").asInt() > before);
    }

    @Test
    void twoInstancesShareNewFlowsByLoadAndAFailedOneGetsNone() throws Exception {
        assertEquals(200, api.put("/api/v1/policy", NO_GATEWAY).status());
        var r = api.put("/api/v1/policy", PROBE_TWICE);
        assertEquals(200, r.status(), r.body());
        await("both instances run", 5000, () -> "running".equals(probe().path("state").asString(""))
                && probe().path("instances").size() == 2);
        assertEquals(List.of("xgw0-0", "xgw0-1", "xgw0i1-0", "xgw0i1-1"),
                JSON.convertValue(probe().get("interfaces"), List.class));

        // equally loaded: the kernel alternates, as each runtime reports its open flows
        Set<Tuple> before = flowsNow();
        for (int i = 0; i < 6; i++) {
            connectAndWait(80);
        }
        int[] spread = newFlowsByInstance(before, 80);
        assertEquals(3, spread[0], "instance 0: " + probe());
        assertEquals(3, spread[1], "instance 1: " + probe());
        assertEquals(3, flowsOf(0), "the load instance 0 reports");
        assertEquals(3, flowsOf(1), "the load instance 1 reports");
        Tuple onFirst = datapath.tables().conns().entries().stream()
                .filter(e -> !before.contains(e.key()) && e.key().dport() == 80 && e.value().gwInst() == 0)
                .findFirst().orElseThrow().key();

        // instance 0 (the lowest of equals) takes the next flow and dies of it
        connect(81);
        await("instance 0 is noticed dead", 3000, () -> "degraded".equals(probe().path("state").asString("")));
        assertEquals("restarting", probe().path("instances").path(0).path("state").asString(), probe().toString());
        assertTrue(probe().get("active").asBoolean(), "the gateway serves on through instance 1");
        List<String> lines = WARNINGS.stream().filter(l -> l.contains("cause=died")).toList();
        assertEquals(1, lines.size(), WARNINGS.toString());
        assertTrue(lines.get(0).contains("gateway=probe#0") && lines.get(0).contains("new flows go to the other"),
                lines.get(0));

        long dropsBefore = datapath.tables().counter(Stat.DROP_GW_DOWN);
        XdpAction resent = datapath.program().testRun(TestRunRequest.of(new PacketBuilder()
                .ipv4("198.18.1.2", "198.18.2.2").tcp(onFirst.sport(), 80).syn().build())
                .withIngressIfindex(NetDevice.ifindex(outside))).xdpAction();
        assertEquals(XdpAction.DROP, resent, "a flow of the dead instance follows the fail mode (closed)");
        assertEquals(dropsBefore + 1, datapath.tables().counter(Stat.DROP_GW_DOWN));

        Set<Tuple> whileDown = flowsNow();
        for (int i = 0; i < 3; i++) {
            connectAndWait(80);
        }
        assertArrayEquals(new int[] {0, 3}, newFlowsByInstance(whileDown, 80), "a stopped instance gets none");

        // back with no load, it gets every new flow until it carries as many as the other
        await("instance 0 restarts", RESTART_DELAY_MS + 3000,
                () -> "running".equals(probe().path("state").asString("")));
        assertEquals(0, flowsOf(0));
        assertEquals(6, flowsOf(1));
        Set<Tuple> afterRestart = flowsNow();
        for (int i = 0; i < 4; i++) {
            connectAndWait(80);
        }
        assertArrayEquals(new int[] {4, 0}, newFlowsByInstance(afterRestart, 80), "the loaded one gets fewer");
    }

    @Test
    void aRuntimeThreadThatDiesIsRestartedOnTheSamePair() throws Exception {
        int ifindex = NetDevice.ifindex("xgw0-1");
        failsAndComesBack(81, "died");
        assertEquals(ifindex, NetDevice.ifindex("xgw0-1"), "the same pair");
    }

    @Test
    void aRuntimeThatStallsIsRestartedOnTheSamePairOnceItReturns() throws Exception {
        int ifindex = NetDevice.ifindex("xgw0-1");
        failsAndComesBack(82, "stalled");
        assertEquals(ifindex, NetDevice.ifindex("xgw0-1"), "the interrupted thread returned: the same pair");
    }

    @Test
    void aRuntimeStuckPastTheRestartDelayGetsANewPair() throws Exception {
        int ifindex = NetDevice.ifindex("xgw0-1");
        failsAndComesBack(83, "stalled");
        assertNotEquals(ifindex, NetDevice.ifindex("xgw0-1"), "the stuck socket held the old pair's queue");
        // the stuck thread returns after 4 s and closes its own socket
        await("the stuck thread ends", 8000, () -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("xdpgate-gw-probe") && t.isAlive()).count() == 1);
        assertEquals("running", probe().get("state").asString());
    }
}
