package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The FTP gateway in the lab: the lab policy redirects TCP/21 to vsftpd on xg-server through the
 * gateway "files" and allows no other port for it, so every data connection, passive or active,
 * is admitted only by the expectation the gateway asked for. Real curl for the transfers (a 50 MB
 * file, its sha256 checked), a scripted client (linedialog.py) for the bounce attempts; vsftpd's
 * log lists every command it received.
 */
@KernelTest
class FtpGatewayEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final Path SERVER_LOG = Path.of("/tmp/xdpgate-lab/ftp.log");
    private static final Path FILE = Path.of("/tmp/xdpgate-lab-www/50M.bin");
    private static final String PYTHON = "/usr/bin/python3";
    private static Lab lab;
    private static String expectedSha;

    @BeforeAll
    static void up() throws Exception {
        lab = new Lab();
        lab.startDaemon();
        expectedSha = sha256(FILE);
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String serverLog() throws Exception {
        return Files.exists(SERVER_LOG) ? Files.readString(SERVER_LOG, StandardCharsets.ISO_8859_1) : "";
    }

    private static String dialog(String... parts) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON,
                Lab.REPO.resolve("control-plane/src/test/resources/lab/linedialog.py").toString(), "198.18.2.2", "21"));
        cmd.addAll(List.of(parts));
        Lab.Result r = Lab.inNs("xg-client", SHORT, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        return r.output();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "passive EPSV over IPv4 | 198.18.2.2      | ",
        "passive PASV (227)     | 198.18.2.2      | --disable-epsv",
        "active EPRT over IPv4  | 198.18.2.2      | -P -",
        "active PORT            | 198.18.2.2      | -P - --disable-eprt",
        "passive EPSV over IPv6 | [2001:db8:2::2] | ",
        "active EPRT over IPv6  | [2001:db8:2::2] | -P -"})
    void aFiftyMegabyteFileArrivesIntactOverEveryKindOfDataConnection(String name, String host, String options)
            throws Exception {
        long hits = lab.stat("expect_hit");
        Path out = Lab.RUN.resolve("ftp-" + name.replaceAll("[^a-zA-Z0-9]", "_") + ".bin");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-g", "-m", "60", "-o", out.toString()));
        if (options != null) {
            cmd.addAll(List.of(options.trim().split(" ")));
        }
        cmd.add("ftp://" + host + "/50M.bin");
        Lab.Result r = Lab.inNs("xg-client", SHORT, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), name + ": " + r.output());
        assertEquals(expectedSha, sha256(out), name + ": the file as the server has it");
        Files.deleteIfExists(out);
        assertTrue(lab.stat("expect_hit") > hits, "the data connection was admitted by an expectation");
    }

    @Test
    void bounceAndLowPortAttemptsAreRefusedBeforeTheServerSeesThem() throws Exception {
        String bounce = dialog("USER anonymous\\r\\n", "PORT 198,18,2,9,156,64\\r\\n");
        assertTrue(bounce.contains("504 PORT names 198.18.2.9, not the client's address (FTP bounce)"), bounce);
        String eprt = dialog("USER anonymous\\r\\n", "EPRT |1|198.18.2.1|40001|\\r\\n");
        assertTrue(eprt.contains("504 EPRT names 198.18.2.1, not the client's address (FTP bounce)"), eprt);
        String low = dialog("USER anonymous\\r\\n", "PORT 198,18,1,2,0,25\\r\\n");
        assertTrue(low.contains("504 PORT names port 25 (below 1024)"), low);
        String log = serverLog();
        assertTrue(log.contains("\"USER anonymous\""), "the dialogs reached vsftpd");
        assertFalse(log.contains("PORT 198,18,2,9") || log.contains("EPRT |1|198.18.2.1") || log.contains("PORT 198,18,1,2,0,25"),
                "a refused command reached vsftpd");
        String gateways = lab.api().get("/api/v1/gateways").body();
        assertTrue(gateways.matches("(?s).*\"bounce_refused\":[2-9].*"), gateways);
    }

    @Test
    void aCommandTheConfigDoesNotAllowIsAnsweredByTheGateway() throws Exception {
        Lab.Result r = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "20", "-T", FILE.toString(),
                "ftp://198.18.2.2/upload.bin");
        assertNotEquals(0, r.exit(), r.output());
        assertFalse(serverLog().contains("\"STOR"), "STOR reached vsftpd");
    }

    @Test
    void aDataPortNobodyAnnouncedStaysClosed() throws Exception {
        Lab.Result r = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "3", "telnet://198.18.2.2:30050");
        // 28: timed out, the SYN dropped by the firewall (vsftpd, not listening there, would reset: 7)
        assertEquals(28, r.exit(), "the lab policy allows only port 21: " + r.output());
    }

    /**
     * With {@code dataChannel: inspect} the expected data connections, passive from the client and
     * active from the server, are redirected to the gateway too: a small file passes, a transfer
     * over maxTransferBytes is cut.
     */
    @Test
    void inspectedDataConnectionsComeThroughTheGatewayAndAreCutAtTheLimit() throws Exception {
        String labPolicy = Files.readString(Lab.REPO.resolve("control-plane/src/main/resources/default-policy.json"));
        String inspect = labPolicy.replace("\"dataChannel\": \"pass\"", "\"dataChannel\": \"inspect\", \"maxTransferBytes\": 1000000");
        assertNotEquals(labPolicy, inspect);
        assertEquals(200, lab.api().put("/api/v1/policy", inspect).status());
        try {
            for (String mode : List.of("", "-P -")) {
                List<String> small = new ArrayList<>(List.of("curl", "-sS", "-m", "20"));
                if (!mode.isEmpty()) {
                    small.addAll(List.of(mode.split(" ")));
                }
                small.add("ftp://198.18.2.2/index.html");
                Lab.Result r = Lab.inNs("xg-client", SHORT, small.toArray(String[]::new));
                assertEquals(0, r.exit(), "'" + mode + "': " + r.output());
                assertEquals("hello from xg-server\n", r.output());
            }
            String opened = lab.api().get("/api/v1/gateways").body();
            Lab.Result big = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "30", "-o", "/dev/null",
                    "ftp://198.18.2.2/50M.bin");
            assertNotEquals(0, big.exit(), "cut at maxTransferBytes: " + big.output());
            assertTrue(Files.readString(Lab.RUN.resolve("daemon.log")).contains("data connection over 1000000 bytes (maxTransferBytes)"),
                    "the gateway's reason in the daemon's log; gateways before: " + opened);
        } finally {
            assertEquals(200, lab.api().put("/api/v1/policy", labPolicy).status());
        }
    }
}
