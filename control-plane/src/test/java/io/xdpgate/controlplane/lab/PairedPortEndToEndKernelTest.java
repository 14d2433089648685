package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.datapath.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rule's paired port in the lab (RTP/RTCP style): with a UDP rule to xg-server:5004 that has
 * {@code "pairedPort": 1}, applied through PUT /api/v1/policy, a client that sent to 5004 may send
 * to 5005 too, which no rule allows; one that did not, may not.
 */
@KernelTest
class PairedPortEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SERVER = "198.18.2.2";
    /** Prints "<port> <source address> <payload>" for every datagram to 5004 or 5005. */
    private static final String LISTENER = String.join("\n",
            "import selectors, socket, sys",
            "sel = selectors.DefaultSelector()",
            "for port in (5004, 5005):",
            "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "    s.bind(('" + SERVER + "', port))",
            "    sel.register(s, selectors.EVENT_READ, port)",
            "print('ready', flush=True)",
            "while True:",
            "    for key, _ in sel.select():",
            "        data, peer = key.fileobj.recvfrom(2048)",
            "        print(key.data, peer[0], data.decode(), flush=True)");
    private static Lab lab;
    private static Process listener;
    private static Path received;
    private static String original;

    @BeforeAll
    static void up() throws Exception {
        lab = new Lab();
        lab.startDaemon();
        original = lab.api().get("/api/v1/policy").body();
        PolicyDocument doc = PolicyParser.parse(original);
        List<RuleSpec> rules = new ArrayList<>();
        rules.add(new RuleSpec("rtp", null, SERVER, "udp", "5004", null, "pass", null, 1));
        rules.addAll(doc.rules());
        var put = lab.api().put("/api/v1/policy",
                PolicyParser.write(new PolicyDocument(doc.defaultAction(), doc.gateways(), rules)));
        assertEquals(200, put.status(), put.body());

        received = Lab.RUN.resolve("udp-received.txt");
        listener = new ProcessBuilder("ip", "netns", "exec", "xg-server", PYTHON, "-u", "-c", LISTENER)
                .redirectErrorStream(true).redirectOutput(received.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(received).contains("ready")) {
            assertTrue(listener.isAlive() && System.nanoTime() < deadline, "listener: " + Files.readString(received));
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (listener != null) {
                listener.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (lab != null && original != null) {
                var restore = lab.api().put("/api/v1/policy", original);
                assertEquals(200, restore.status(), restore.body());
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    /** One datagram from xg-client, from a port of its own choosing. */
    private static void send(int port, String payload) throws Exception {
        var r = Lab.inNs("xg-client", SHORT, PYTHON, "-c", "import socket; socket.socket(socket.AF_INET, "
                + "socket.SOCK_DGRAM).sendto(b'" + payload + "', ('" + SERVER + "', " + port + "))");
        assertEquals(0, r.exit(), r.output());
    }

    private static boolean arrived(int port, String payload, Duration within) throws Exception {
        String line = port + " 198.18.1.2 " + payload;
        long deadline = System.nanoTime() + within.toNanos();
        do {
            if (Files.readString(received, StandardCharsets.UTF_8).lines().anyMatch(line::equals)) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return false;
    }

    @Test
    void theNextPortIsOpenOnlyAfterTheFirstOnceAndForTheSameClient() throws Exception {
        long dropped = lab.stat("drop_default");
        send(5005, "alone");
        assertFalse(arrived(5005, "alone", Duration.ofSeconds(2)), "no rule allows 5005 and nothing expects it");
        assertTrue(lab.stat("drop_default") > dropped, "the default dropped it");

        long pairs = lab.stat("pair_expected");
        long hits = lab.stat("expect_hit");
        send(5004, "rtp");
        assertTrue(arrived(5004, "rtp", Duration.ofSeconds(5)), "the rule allows 5004");
        assertEquals(pairs + 1, lab.stat("pair_expected"), "the 5004 flow expects 5005");
        long fromServer = lab.stat("drop_default");
        var r = Lab.inNs("xg-server", SHORT, PYTHON, "-c", "import socket; socket.socket(socket.AF_INET, "
                + "socket.SOCK_DGRAM).sendto(b'x', ('198.18.1.2', 5005))");
        assertEquals(0, r.exit(), r.output());
        Thread.sleep(500);
        assertTrue(lab.stat("drop_default") > fromServer, "the pair is for the client's direction only");
        assertEquals(hits, lab.stat("expect_hit"), "the server's datagram to the client's 5005 claimed nothing");

        send(5005, "rtcp");
        assertTrue(arrived(5005, "rtcp", Duration.ofSeconds(5)), "5005 expected after 5004");
        assertEquals(hits + 1, lab.stat("expect_hit"), "admitted by the expectation");

        long again = lab.stat("drop_default");
        send(5005, "again");
        assertFalse(arrived(5005, "again", Duration.ofSeconds(2)), "one-shot: a second flow to 5005 is not expected");
        assertTrue(lab.stat("drop_default") > again);
    }
}
