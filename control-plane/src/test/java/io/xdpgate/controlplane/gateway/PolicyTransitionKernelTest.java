package io.xdpgate.controlplane.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Tuple;
import io.xdpgate.controlplane.XdpgateDaemon;
import io.xdpgate.controlplane.client.UnixHttpClient;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.policy.DefaultPolicy;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.PolicyTranslation;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.testing.Commands;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestObjects;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The daemon started for real with the lab's policy (gateway "web", hosted, behind xgw0), then
 * PUTs that remove the gateway, add it back, change its pool, and replace, move and add gateways
 * all in one; after each, the kernel's maps (gateways, gw_tx, ifaces), the veth pairs, the
 * runtimes, GET /api/v1/policy and GET /api/v1/gateways must tell the same story, and a SYN of the
 * redirected kind must get the verdict the policy now in force gives it. The methods build on
 * each other, hence the order.
 */
@KernelTest
@SpringBootTest(classes = XdpgateDaemon.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyTransitionKernelTest {
    private static final PinDir PINS = new PinDir();
    private static final Path RUN = Path.of("/tmp", "xdpgate-transition-test-" + ProcessHandle.current().pid());
    private static final Path SOCKET = RUN.resolve("api.sock");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger PORTS = new AtomicInteger(42000);
    /** The protocols the daemon has gateways for: their gateways are hosted, the others described down. */
    /** Every ifindex a gateway pair had; once retired, its ifaces slot must be zero. */
    private static final Set<Integer> SEEN_IFINDEXES = new HashSet<>();
    private static int highestGatewayCount;
    private static int baselineIfindex;

    @Autowired
    LoadedDatapath datapath;
    @Autowired
    GatewayHost host;

    private final UnixHttpClient api = new UnixHttpClient(SOCKET);

    @DynamicPropertySource
    static void daemon(DynamicPropertyRegistry registry) {
        registry.add("xdpgate.bpf-object", () -> TestObjects.xdpgate().toString());
        registry.add("xdpgate.pin-dir", () -> PINS.path().toString());
        registry.add("xdpgate.state-dir", () -> RUN.resolve("state").toString());
        registry.add("xdpgate.api.socket", SOCKET::toString);
        registry.add("xdpgate.initial-policy", () -> writeDefaultPolicy().toString());
    }

    private static Path writeDefaultPolicy() {
        try {
            Files.createDirectories(RUN);
            Path p = RUN.resolve("initial-policy.json");
            Files.write(p, DefaultPolicy.json());
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void baseline() {
        // devices made from here on are this daemon's
        baselineIfindex = links().values().stream().max(Integer::compare).orElse(0);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        PINS.close();
        try (var paths = Files.walk(RUN)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Interface name -> ifindex in this namespace. */
    private static Map<String, Integer> links() {
        Map<String, Integer> out = new HashMap<>();
        for (String line : Commands.run("ip", "-o", "link", "show").split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                String name = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
                out.put(name, Integer.parseInt(f[0].strip()));
            }
        }
        return out;
    }

    /** The lab's policy with its HTTP gateway only (and its rules): these tests move, replace and add gateways around it. */
    private static PolicyDocument lab() {
        PolicyDocument d = DefaultPolicy.document();
        List<GatewaySpec> http = d.gateways().stream().filter(g -> g.protocol().equals("http")).toList();
        java.util.Set<String> kept = http.stream().map(GatewaySpec::name).collect(java.util.stream.Collectors.toSet());
        List<RuleSpec> rules = d.rules().stream().filter(r -> r.gateway() == null || kept.contains(r.gateway())).toList();
        return new PolicyDocument(d.defaultAction(), http, rules);
    }

    private static GatewaySpec web() {
        return lab().gateways().get(0);
    }

    private static GatewaySpec withPorts(GatewaySpec g, String ports) {
        return new GatewaySpec(g.name(), g.protocol(), g.address4(), g.address6(), ports, g.snatAddress4(),
                g.snatAddress6(), g.snatPorts(), g.failMode(), g.instances(), g.config());
    }

    private static GatewaySpec gateway(String name, String protocol, String address4, String ports) {
        return new GatewaySpec(name, protocol, address4, null, ports, null, null, null, "closed", null, null);
    }

    /** The lab's rules with the web rules redirecting to {@code gateway} (null: pass instead). */
    private static List<RuleSpec> labRules(String gateway) {
        List<RuleSpec> out = new ArrayList<>();
        for (RuleSpec r : lab().rules()) {
            if ("redirect".equals(r.action())) {
                out.add(gateway == null ? null
                        : new RuleSpec(r.name(), r.from(), r.to(), r.protocol(), r.ports(), r.iface(), "redirect", gateway));
            } else {
                out.add(r);
            }
        }
        out.removeIf(java.util.Objects::isNull);
        return out;
    }

    private void put(PolicyDocument doc) throws Exception {
        var r = api.put("/api/v1/policy", PolicyParser.write(doc));
        assertEquals(200, r.status(), r.body());
    }

    /** A SYN 198.18.1.2 -> 198.18.2.2:80 from the external side: the lab's redirected kind. */
    private XdpAction syn(int sport) {
        return datapath.program().testRun(TestRunRequest.of(
                new PacketBuilder().ipv4("198.18.1.2", "198.18.2.2").tcp(sport, 80).syn().build())).xdpAction();
    }

    private Optional<Conn> conn(int sport) throws Exception {
        return datapath.tables().conns().get(Tuple.of(InetAddress.getByName("198.18.1.2"), sport,
                InetAddress.getByName("198.18.2.2"), 80, 6));
    }

    /**
     * Everything agrees with {@code doc}: GET /api/v1/policy, GET /api/v1/gateways, the kernel's
     * entries for every gateway (hosted ones up, with their pair's ifindex in gw_tx and ifaces),
     * ids beyond the document down, retired pairs gone from ifaces and from the namespace.
     */
    private void assertConsistent(PolicyDocument doc) throws Exception {
        assertEquals(doc, PolicyParser.parse(api.get("/api/v1/policy").body()), "GET /api/v1/policy");
        TranslatedPolicy t = PolicyTranslation.translate(doc);
        JsonNode listed = JSON.readTree(api.get("/api/v1/gateways").body());
        assertEquals(t.gateways().size(), listed.size(), listed.toString());

        Map<String, Integer> links = links();
        Set<String> pairs = new TreeSet<>();
        List<String> hostedNames = new ArrayList<>();
        for (GatewayAssignment g : t.gateways()) {
            JsonNode v = listed.get(g.id());
            assertEquals(g.name(), v.get("name").asString());
            assertEquals(g.id(), v.get("id").asInt());
            Gateway k = datapath.tables().gateways().get(g.id()).orElseThrow();
            assertEquals(g.pool().base(), k.portBase(), g.name() + " pool in the kernel");
            assertEquals(g.pool().count(), k.portCount());
            int failOpen = "open".equals(g.spec().failMode()) ? Abi.XG_GW_F_FAIL_OPEN : 0;
            // every gateway of an accepted policy is hosted: it speaks a protocol of a factory found
            hostedNames.add(g.name());
            assertTrue(v.get("hosted").asBoolean(), v.toString());
            assertTrue(v.get("running").asBoolean(), v.toString());
            assertEquals("running", v.get("state").asString());
            assertTrue(v.get("active").asBoolean(), v.toString());
            String near = v.get("interfaces").get(0).asString();
            String far = v.get("interfaces").get(1).asString();
            int nearIf = NetDevice.ifindex(near);
            int farIf = NetDevice.ifindex(far);
            pairs.add(near);
            pairs.add(far);
            SEEN_IFINDEXES.add(nearIf);
            SEEN_IFINDEXES.add(farIf);
            assertEquals(Abi.XG_GW_F_ACTIVE | Abi.XG_GW_F_XSK | failOpen, k.flags(), g.name() + " flags");
            assertEquals(nearIf, k.ifindex());
            assertEquals(Optional.of(nearIf), datapath.tables().gwTx().get(Gateway.slot(g.id(), 0)), "gw_tx[" + g.id() + "]");
            for (int ifindex : new int[] {nearIf, farIf}) {
                Iface i = datapath.tables().ifaces().get(ifindex).orElseThrow();
                assertEquals(Role.GATEWAY, i.role(), "ifaces[" + ifindex + "]");
                assertEquals(g.id(), i.gwId());
            }
        }
        for (int id = t.gateways().size(); id < highestGatewayCount; id++) {
            Gateway k = datapath.tables().gateways().get(id).orElseThrow();
            assertFalse(k.hasFlag(Abi.XG_GW_F_ACTIVE), "id " + id + " is no gateway now: down");
            assertEquals(Optional.empty(), datapath.tables().gwTx().get(Gateway.slot(id, 0)).filter(i -> i != 0), "gw_tx[" + id + "]");
        }
        highestGatewayCount = Math.max(highestGatewayCount, t.gateways().size());

        Set<Integer> live = new HashSet<>();
        for (String p : pairs) {
            live.add(links.get(p));
        }
        for (int ifindex : SEEN_IFINDEXES) {
            if (!live.contains(ifindex)) {
                Iface i = datapath.tables().ifaces().get(ifindex).orElseThrow();
                assertEquals(GatewayMaps.NO_IFACE, i, "retired pair's ifaces[" + ifindex + "] zeroed");
            }
        }
        Set<String> ours = new TreeSet<>();
        links.forEach((name, ifindex) -> {
            if (name.startsWith("xgw") && ifindex > baselineIfindex) {
                ours.add(name);
            }
        });
        assertEquals(pairs, ours, "the gateway pairs in the namespace");
        assertEquals(hostedNames, host.hostedNames(), "runtimes");
    }

    @Test
    @Order(1)
    void theLabsGatewaysAreHosted() throws Exception {
        assertConsistent(DefaultPolicy.document());
        assertEquals(List.of("web", "dns", "tls", "mail", "files"), host.hostedNames());
        put(lab());
        assertConsistent(lab());
        int sport = PORTS.incrementAndGet();
        assertEquals(XdpAction.REDIRECT, syn(sport));
        Conn c = conn(sport).orElseThrow();
        assertEquals(0, c.gwId());
        assertTrue(c.nat().dport() >= 40000 && c.nat().dport() <= 40999, c.toString());
    }

    /** The lab's failure: 500, EINVAL deleting from ifaces, the runtime stopped but the kernel still active. */
    @Test
    @Order(2)
    void aPutThatRemovesTheGateway() throws Exception {
        int before = NetDevice.ifindex("xgw0-0");
        PolicyDocument none = new PolicyDocument(lab().defaultAction(), List.of(), labRules(null));
        put(none);
        assertConsistent(none);
        assertFalse(links().containsKey("xgw0-0"));
        assertEquals(GatewayMaps.NO_IFACE, datapath.tables().ifaces().get(before).orElseThrow());
        assertEquals(0, datapath.tables().gateways().get(0).orElseThrow().flags(), "down, fail closed");
        assertEquals("[]", api.get("/api/v1/gateways").body());
        assertEquals(XdpAction.DROP, syn(PORTS.incrementAndGet()), "no rule redirects port 80 now: default drop");
    }

    @Test
    @Order(3)
    void aPutThatAddsOne() throws Exception {
        put(lab());
        assertConsistent(lab());
        int sport = PORTS.incrementAndGet();
        assertEquals(XdpAction.REDIRECT, syn(sport));
        assertEquals(0, conn(sport).orElseThrow().gwId());
    }

    @Test
    @Order(4)
    void aPutThatChangesThePool() throws Exception {
        int ifindex = NetDevice.ifindex("xgw0-0");
        HostedRuntime runtime = host.hostedGateway(0).orElseThrow().instances.get(0).runtime;
        PolicyDocument moved = new PolicyDocument(lab().defaultAction(), List.of(withPorts(web(), "41000-41099")),
                lab().rules());
        put(moved);
        assertConsistent(moved);
        assertEquals(ifindex, NetDevice.ifindex("xgw0-0"), "the same pair");
        assertSame(runtime, host.hostedGateway(0).orElseThrow().instances.get(0).runtime, "the same runtime, its connections kept");
        int sport = PORTS.incrementAndGet();
        assertEquals(XdpAction.REDIRECT, syn(sport));
        int port = conn(sport).orElseThrow().nat().dport();
        assertTrue(port >= 41000 && port <= 41099, "a port of the new pool: " + port);
    }

    /** id 0 replaced by "api" (own pair while web's is taken), web moved to id 1 (a new runtime), "raw" (tls) added. */
    @Test
    @Order(5)
    void replacingMovingAndAddingInOnePut() throws Exception {
        HostedRuntime oldWeb = host.hostedGateway(0).orElseThrow().instances.get(0).runtime;
        List<GatewaySpec> gws = List.of(gateway("api", "http", "198.18.254.1", "43000-43099"), web(),
                gateway("raw", "tls", "198.18.253.1", "44000-44099"));
        PolicyDocument three = new PolicyDocument(lab().defaultAction(), gws, labRules("api"));
        put(three);
        assertConsistent(three);
        assertNotEquals(oldWeb, host.hostedGateway(1).orElseThrow().instances.get(0).runtime, "web at another id: a new runtime");
        assertEquals(List.of("api", "web", "raw"), host.hostedNames());
        int sport = PORTS.incrementAndGet();
        assertEquals(XdpAction.REDIRECT, syn(sport));
        Conn c = conn(sport).orElseThrow();
        assertEquals(0, c.gwId(), "to api");
        assertTrue(c.nat().dport() >= 43000 && c.nat().dport() <= 43099, c.toString());
    }

    @Test
    @Order(6)
    void andBackToTheLabsPolicyRemovingTwo() throws Exception {
        put(lab());
        assertConsistent(lab());
        assertEquals(List.of("web"), host.hostedNames());
        int sport = PORTS.incrementAndGet();
        assertEquals(XdpAction.REDIRECT, syn(sport));
        assertEquals(0, conn(sport).orElseThrow().gwId());
    }

    @Test
    @Order(7)
    void errorBodiesOverTheSocket() throws Exception {
        String big = "{\"defaultAction\":\"drop\",\"rules\":[]" + " ".repeat(1 << 20) + "}";
        var tooLarge = api.put("/api/v1/policy", big);
        assertEquals(413, tooLarge.status(), tooLarge.body());
        assertTrue(tooLarge.header("content-type").startsWith("application/problem+json"), tooLarge.headers().toString());
        assertTrue(tooLarge.body().contains("\"status\":413"), tooLarge.body());

        var bad = api.put("/api/v1/policy", "{\"rules\": [}");
        assertEquals(400, bad.status());
        var wrongType = api.send("PUT", "/api/v1/policy", "text/plain", "{}");
        assertEquals(415, wrongType.status(), wrongType.body());
        assertTrue(wrongType.header("content-type").startsWith("application/problem+json"), wrongType.headers().toString());
        var unknown = api.get("/api/v1/no-such-thing");
        assertEquals(404, unknown.status());
        assertTrue(unknown.header("content-type").startsWith("application/problem+json"), unknown.headers().toString());
        for (var r : List.of(tooLarge, bad, wrongType, unknown)) {
            for (String leak : List.of("Exception", "\tat ", "java.", "tools.jackson", "org.springframework")) {
                assertFalse(r.body().contains(leak), leak + " in " + r.body());
            }
        }
        assertConsistent(lab());
    }
}
