package io.xdpgate.controlplane.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.controlplane.XdpgateDaemon;
import io.xdpgate.controlplane.client.UnixHttpClient;
import io.xdpgate.datapath.bpf.NetDevice;
import io.xdpgate.datapath.bpf.Tc;
import io.xdpgate.datapath.testing.Commands;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestNetwork;
import io.xdpgate.datapath.testing.TestObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon with an interface pattern, as on a Kubernetes node where pods' veths come and go: a
 * link that matches is attached (tc ingress, role internal in its ifaces slot, listed by /healthz
 * with its pattern) when it exists at start and within a second when it appears later; one that
 * does not match is left alone; a matching link that is deleted or renamed out of the pattern is
 * detached and its slot cleared. Links in the root namespace, named xgt&lt;pid&gt;..., so the
 * pattern selects only this run's.
 */
@KernelTest
@SpringBootTest(classes = XdpgateDaemon.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class InterfaceWatchKernelTest {
    private static final PinDir PINS = new PinDir();
    private static final Path RUN = Path.of("/tmp", "xdpgate-ifwatch-test-" + ProcessHandle.current().pid());
    private static final Path SOCKET = RUN.resolve("api.sock");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestNetwork NET = new TestNetwork();
    private static String[] atStart;

    private final UnixHttpClient api = new UnixHttpClient(SOCKET);
    @Autowired
    private LoadedDatapath datapath;

    @DynamicPropertySource
    static void daemon(DynamicPropertyRegistry registry) {
        if (atStart == null) {
            atStart = NET.veth("pa", "pb");
        }
        registry.add("xdpgate.bpf-object", () -> TestObjects.xdpgate().toString());
        registry.add("xdpgate.pin-dir", () -> PINS.path().toString());
        registry.add("xdpgate.state-dir", () -> RUN.resolve("state").toString());
        registry.add("xdpgate.api.socket", SOCKET::toString);
        registry.add("xdpgate.interfaces[0].pattern", () -> NET.name("p") + "*");
        registry.add("xdpgate.interfaces[0].role", () -> "internal");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        NET.close();
        PINS.close();
        if (Files.exists(RUN)) {
            try (var paths = Files.walk(RUN)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void podVethsAreAttachedAsTheyAppearAndDetachedAsTheyGo() throws Exception {
        // there at start: attached before the API answered
        assertAttached(atStart[0]);
        assertAttached(atStart[1]);

        String[] later = NET.veth("pc", "pd");
        String[] other = NET.veth("qa", "qb");
        int laterIfindex = NetDevice.ifindex(later[0]);
        long appeared = System.nanoTime();
        await(later[0] + " attached", 1000, () -> tcFilter(later[0]) && listed().containsKey(later[0]));
        System.out.println("attached " + (System.nanoTime() - appeared) / 1_000_000 + " ms after the veth appeared");
        assertAttached(later[0]);
        Thread.sleep(300); // the same passes saw the other veth
        assertFalse(tcFilter(other[0]), "a veth the pattern does not select has no program");
        assertFalse(listed().containsKey(other[0]));
        assertEquals(ManagedInterfaces.UNMANAGED, slot(NetDevice.ifindex(other[0])));

        Commands.run("ip", "link", "del", later[0]); // its peer goes with it
        await(later[0] + " detached", 1000, () -> !listed().containsKey(later[0]) && !listed().containsKey(later[1]));
        assertEquals(ManagedInterfaces.UNMANAGED, slot(laterIfindex), "its ifaces slot is cleared");
        assertTrue(datapath.tables().fwdPorts().get(laterIfindex).isEmpty(), "and its forwarding port");

        // renamed out of the pattern: the link stays, the program leaves it
        int renamedIfindex = NetDevice.ifindex(atStart[0]);
        String renamed = NET.name("qr");
        Commands.run("ip", "link", "set", atStart[0], "down");
        Commands.run("ip", "link", "set", atStart[0], "name", renamed);
        try {
            await(atStart[0] + " detached after the rename", 1000, () -> !listed().containsKey(atStart[0]));
            assertFalse(tcFilter(renamed), "no program left on the renamed link");
            assertEquals(ManagedInterfaces.UNMANAGED, slot(renamedIfindex));
            assertAttached(atStart[1]);
        } finally {
            Commands.runIgnoringFailure("ip", "link", "set", renamed, "name", atStart[0]);
        }

        String metrics = api.get("/metrics").body();
        assertTrue(counter(metrics, "attached") >= 3, metrics);
        assertTrue(counter(metrics, "detached") >= 3, metrics);
        assertEquals(0, counter(metrics, "failed"), metrics);
    }

    private void assertAttached(String device) throws Exception {
        int ifindex = NetDevice.ifindex(device);
        assertTrue(tcFilter(device), device + " runs the tc build at ingress");
        Iface iface = slot(ifindex);
        assertEquals(Role.INTERNAL, iface.role(), device + "'s ifaces slot has the pattern's role");
        assertFalse(iface.mac().equals(MacAddr.ZERO), "and its MAC");
        JsonNode entry = listed().get(device);
        assertEquals("internal", entry.path("role").asString(""), entry.toString());
        assertEquals(NET.name("p") + "*", entry.path("pattern").asString(""), entry.toString());
        assertEquals("tc", entry.path("hook").asString(""), entry.toString());
    }

    private Iface slot(int ifindex) {
        return datapath.tables().ifaces().get(ifindex).orElseThrow();
    }

    private static boolean tcFilter(String device) {
        return Tc.query(Attachment.tcFilter(NetDevice.ifindex(device))).isPresent();
    }

    private Map<String, JsonNode> listed() {
        try {
            Map<String, JsonNode> out = new HashMap<>();
            for (JsonNode a : JSON.readTree(api.get("/healthz").body()).path("attachments")) {
                out.put(a.path("interface").asString(""), a);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double counter(String metrics, String event) {
        String prefix = "xdpgate_interface_watch_total{event=\"" + event + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(
                prefix.length()))).findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + metrics));
    }

    private static void await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not within " + millis + " ms");
            }
            Thread.sleep(10);
        }
    }
}
