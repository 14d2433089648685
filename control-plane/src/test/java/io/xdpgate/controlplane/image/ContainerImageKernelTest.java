package io.xdpgate.controlplane.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The container image (`make image`) run as the DaemonSet runs it (see {@link NodeContainer}):
 * the daemon attaches with only its capabilities, takes a policy over the API on the socket the
 * host sees, and enforces it on traffic between two hosts, through the kernel and through a hosted
 * gateway (AF_XDP, veths made with the image's ip and ethtool).
 */
@KernelTest
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageKernelTest {
    private static final String POLICY = """
            {
              "defaultAction": "drop",
              "gateways": [
                { "name": "web", "protocol": "http", "address4": "198.18.254.1", "ports": "40000-40999",
                  "failMode": "closed", "config": { "denyPaths": ["/admin"], "onDeny": "403" } }
              ],
              "rules": [
                { "name": "web-in", "to": "198.18.61.0/24", "protocol": "tcp", "ports": "80", "action": "redirect", "gateway": "web" },
                { "name": "app", "to": "198.18.61.0/24", "protocol": "tcp", "ports": "8080", "action": "pass" }
              ]
            }
            """;
    private static NodeContainer node;
    private static final List<Process> servers = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    static void up() throws Exception {
        boolean present = new ProcessBuilder("docker", "image", "inspect", NodeContainer.IMAGE)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        Assumptions.assumeTrue(present || ci, "image " + NodeContainer.IMAGE + " not built (make image)");
        assertTrue(present, "image " + NodeContainer.IMAGE + " not built, and CI=true forbids skipping: make image");
        node = new NodeContainer();
        Files.writeString(NodeContainer.RUN.resolve("www/index.html"), "hello from the server\n");
        for (int port : new int[] {80, 8080, 8081}) {
            servers.add(node.serve(port));
        }
        node.start();
    }

    @AfterAll
    static void down() throws Exception {
        servers.forEach(Process::destroyForcibly);
        if (node != null) {
            System.out.println("daemon log in the container:\n" + node.log() + "\nHTTP servers:\n" + node.serverLogs());
            node.close();
            node.removeFiles();
        }
    }

    @Test
    @Order(1)
    void theDaemonAttachesWithOnlyTheDaemonSetsCapabilities() throws Exception {
        assertEquals(NodeContainer.CAPS_MASK, node.capabilities(),
                "CapEff " + Long.toHexString(node.capabilities()) + ": not privileged, only " + NodeContainer.CAPS);
        String health = node.api().get("/healthz").body();
        assertTrue(health.contains("\"status\":\"ok\""), health);
        assertTrue(health.contains("\"interface\":\"ext0\"") && health.contains("\"interface\":\"int0\""), health);
        assertTrue(Files.isDirectory(java.nio.file.Path.of(NodeContainer.PIN_DIR)),
                "the maps are pinned in the host's bpffs, so they outlive the container");
        var cli = node.exec("xdpgate", "status");
        assertEquals(0, cli.exit(), "the image's CLI reaches the daemon on its default socket: " + cli.output());
        assertTrue(cli.output().contains("ext0"), cli.output());
    }

    @Test
    @Order(2)
    void aPolicyPutThroughTheApiIsEnforcedOnTrafficBetweenTheHosts() throws Exception {
        var put = node.api().put("/api/v1/policy", POLICY);
        assertEquals(200, put.status(), put.body() + "\n" + node.log());

        long passed = node.stat("new_flow");
        var allowed = NodeContainer.inNs(NodeContainer.CLIENT, "curl", "-sS", "-m", "5", "http://198.18.61.2:8080/");
        assertEquals(0, allowed.exit(), allowed.output());
        assertEquals("hello from the server\n", allowed.output());
        assertTrue(node.stat("new_flow") > passed, "admitted as a new flow by the packet processor");

        long dropped = node.stat("drop_default");
        var denied = NodeContainer.inNs(NodeContainer.CLIENT, "curl", "-sS", "-m", "2", "http://198.18.61.2:8081/");
        assertEquals(28, denied.exit(), "a dropped SYN times out (28), it is not refused: " + denied.output());
        assertTrue(node.stat("drop_default") > dropped, "the default action dropped port 8081");

        long redirected = node.stat("redirect");
        var viaGateway = NodeContainer.inNs(NodeContainer.CLIENT, "curl", "-sS", "-m", "5", "http://198.18.61.2/");
        assertEquals(0, viaGateway.exit(), viaGateway.output() + "\n" + node.log());
        assertEquals("hello from the server\n", viaGateway.output());
        var admin = NodeContainer.inNs(NodeContainer.CLIENT, "curl", "-sS", "-m", "5", "-o", "/dev/null",
                "-w", "%{http_code}", "http://198.18.61.2/admin");
        assertEquals("403", admin.output(), "the HTTP gateway in the container refused the denied path");
        assertTrue(node.stat("redirect") >= redirected + 2, "both went through the gateway");
    }

    /**
     * Without the host's /sys/fs/bpf the entry point tries to mount a bpffs, which needs
     * CAP_SYS_ADMIN the DaemonSet does not grant: it says so, with the mount's error, and stops.
     */
    @Test
    @Order(3)
    void withoutTheHostsBpffsTheEntryPointRefusesAndSaysWhy() throws Exception {
        var r = node.runWithoutBpffs();
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("is not a bpffs and mounting one failed"), r.output());
        assertTrue(r.output().contains("permission denied"), "the mount's own error: " + r.output());
        assertTrue(r.output().contains("mount the host's /sys/fs/bpf"), r.output());
    }
}
