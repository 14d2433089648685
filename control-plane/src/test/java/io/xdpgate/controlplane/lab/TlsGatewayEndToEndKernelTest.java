package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS gateway in the lab: the lab policy redirects TCP/443 to nginx on xg-server through the
 * gateway "tls" (server names lab.example and one label below, secret.lab.example denied). Real
 * curl with --resolve, nginx whose access log lists every request that reached it, and a crafted
 * client whose ClientHello is split over two TLS records inside the server name.
 */
@KernelTest
class TlsGatewayEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final Path SERVER_LOG = Path.of("/tmp/xdpgate-lab/tls-443.log");
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

    private static Lab.Result curl(String name, String address, String path) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-k", "-g", "-m", "10"));
        if (name != null) {
            cmd.addAll(List.of("--resolve", name + ":443:" + address, "https://" + name + path));
        } else {
            cmd.add("https://" + address + path);
        }
        return Lab.inNs("xg-client", SHORT, cmd.toArray(String[]::new));
    }

    private static String serverLog() throws Exception {
        return Files.exists(SERVER_LOG) ? Files.readString(SERVER_LOG, StandardCharsets.UTF_8) : "";
    }

    private static String split(String name) throws Exception {
        String script = Lab.REPO.resolve("control-plane/src/test/resources/lab/tlssplit.py").toString();
        Lab.Result r = Lab.inNs("xg-client", SHORT, PYTHON, script, "198.18.2.2", name);
        assertEquals(0, r.exit(), r.output());
        return r.output().strip();
    }

    @Test
    void allowedNamesReachTheServerOverBothFamilies() throws Exception {
        Lab.Result v4 = curl("www.lab.example", "198.18.2.2", "/index.html?v4");
        assertEquals(0, v4.exit(), v4.output());
        assertEquals("hello from xg-server\n", v4.output());
        Lab.Result v6 = curl("api.lab.example", "[2001:db8:2::2]", "/index.html?v6");
        assertEquals(0, v6.exit(), v6.output());
        assertTrue(serverLog().contains("GET /index.html?v4"), serverLog());
        assertTrue(serverLog().contains("GET /index.html?v6"), serverLog());
    }

    @Test
    void deniedMissingAndUnlistedNamesAreRefusedWithAnAlertAndNeverReachTheServer() throws Exception {
        for (Lab.Result r : List.of(curl("secret.lab.example", "198.18.2.2", "/?secret"),
                curl("a.b.lab.example", "198.18.2.2", "/?deep"), curl(null, "198.18.2.2", "/?nosni"))) {
            assertNotEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("alert access denied"), r.output());
        }
        String log = serverLog();
        assertFalse(log.contains("?secret") || log.contains("?deep") || log.contains("?nosni"), log);
    }

    @Test
    void aClientHelloSplitOverTwoRecordsIsJudgedWhole() throws Exception {
        assertEquals("server hello", split("www.lab.example"), "allowed: nginx answered the reassembled hello");
        assertEquals("alert 49", split("secret.lab.example"), "denied although neither record holds the whole name");
    }
}
