package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.KernelTest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lab with real clients and servers: curl from xg-client through xg-fw, where the daemon has
 * the packet processor attached, to the HTTP server in xg-server.
 */
@KernelTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabEndToEndKernelTest {
    private static final Duration SHORT = Duration.ofSeconds(20);
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

    @Test
    void allowedWebPassesOverIpv4AndIpv6() throws Exception {
        long before = lab.stat("new_flow");
        var v4 = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "5", "http://198.18.2.2/");
        assertEquals(0, v4.exit(), v4.output());
        assertEquals("hello from xg-server\n", v4.output());
        var v6 = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "5", "-g", "http://[2001:db8:2::2]/");
        assertEquals(0, v6.exit(), v6.output());
        assertEquals("hello from xg-server\n", v6.output());
        assertTrue(lab.stat("new_flow") >= before + 2);
        assertTrue(lab.stat("reply") > 0, "the server's answers passed as replies");
    }

    /**
     * Both lab interfaces run at the hook the setting asks (auto: tc, they are veths), and an
     * admitted transfer (port 8080, passed in the kernel) is forwarded by the packet processor
     * past the stack, intact.
     */
    @Test
    void admittedTrafficIsForwardedPastTheStackAtTheHookAsked() throws Exception {
        String hook = Lab.HOOK.equals("auto") ? "tc" : Lab.HOOK;
        String health = lab.api().get("/healthz").body();
        assertEquals(2, Pattern.compile("\"hook\":\"" + hook + "\"").matcher(health).results().count(), health);
        long before = lab.stat("fwd");
        var got = Lab.inNs("xg-client", SHORT, "sh", "-c",
                "curl -sS -m 15 http://198.18.2.2:8080/100M.bin | sha256sum");
        var want = Lab.sh(List.of("sh", "-c", "sha256sum < /tmp/xdpgate-lab-www/100M.bin"), SHORT);
        assertEquals(want.output(), got.output(), "the transfer arrived intact");
        assertTrue(lab.stat("fwd") > before + 1000, "forwarded by the packet processor: " + (lab.stat("fwd") - before));
    }

    /** The lab policy admits echo requests (ICMP type 8 / ICMPv6 128); their replies are tracked. */
    @Test
    void pingWorksOverIpv4AndIpv6AsThePolicySays() throws Exception {
        long replies = lab.stat("reply");
        var v4 = Lab.inNs("xg-client", SHORT, "ping", "-c", "2", "-W", "2", "198.18.2.2");
        assertEquals(0, v4.exit(), v4.output());
        var v6 = Lab.inNs("xg-client", SHORT, "ping", "-6", "-c", "2", "-W", "2", "2001:db8:2::2");
        assertEquals(0, v6.exit(), v6.output());
        assertTrue(lab.stat("reply") >= replies + 4, "echo replies passed as replies of tracked requests");
        var fromServer = Lab.inNs("xg-server", SHORT, "ping", "-c", "1", "-W", "2", "198.18.1.2");
        assertEquals(0, fromServer.exit(), "echo is allowed from either side: " + fromServer.output());
    }

    @Test
    void blockedPortsTimeOutAndTheCountersSayWhy() throws Exception {
        long policy = lab.stat("drop_policy");
        long dflt = lab.stat("drop_default");
        var telnet = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "2", "telnet://198.18.2.2:23");
        assertEquals(28, telnet.exit(), "a dropped SYN times out (28), it is not refused: " + telnet.output());
        var other = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "2", "http://198.18.2.2:8081/");
        assertEquals(28, other.exit(), other.output());
        assertTrue(lab.stat("drop_policy") > policy, "the no-telnet rule dropped it");
        assertTrue(lab.stat("drop_default") > dflt, "the default dropped 8081");
    }

    @Test
    void unsolicitedInboundFromTheServerSideIsDropped() throws Exception {
        long dflt = lab.stat("drop_default");
        var r = Lab.inNs("xg-server", SHORT, "curl", "-sS", "-m", "2", "http://198.18.1.2:80/");
        assertEquals(28, r.exit(), "without the firewall the client's kernel would refuse at once: " + r.output());
        assertTrue(lab.stat("drop_default") > dflt);
    }

    @Test
    void aTransferSurvivesTheDaemonBeingKilledAndRestarted() throws Exception {
        String expected = Lab.sh(java.util.List.of("sha256sum", "/tmp/xdpgate-lab-www/200M.bin"), SHORT).output();
        // rate-limited so the transfer is still running across the kill and the restart
        Process curl = new ProcessBuilder("ip", "netns", "exec", "xg-client", "curl", "-sS", "--limit-rate", "20M",
                "-o", Lab.RUN.resolve("200M.bin").toString(), "http://198.18.2.2:8080/200M.bin")
                .redirectErrorStream(true).start();
        Thread.sleep(2000);
        lab.killDaemon();
        Thread.sleep(1000);
        assertTrue(curl.isAlive(), "the transfer goes on while the daemon is dead");
        lab.startDaemon();
        String health = lab.api().get("/healthz").body();
        assertTrue(health.contains("\"reusedPinnedMaps\":true"), health);
        assertTrue(curl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "transfer finished");
        assertEquals(0, curl.exitValue(), new String(curl.getInputStream().readAllBytes()));
        String got = Lab.sh(java.util.List.of("sha256sum", Lab.RUN.resolve("200M.bin").toString()), SHORT).output();
        assertEquals(expected.split(" ")[0], got.split(" ")[0], "sha256 of the 200 MB file");
        assertNotEquals(0, Files.size(Lab.RUN.resolve("200M.bin")));
        Files.delete(Lab.RUN.resolve("200M.bin"));
    }

    @Test
    void policySwapsUnderTrafficLoseNothingBothPoliciesAllow() throws Exception {
        String expected = Lab.sh(java.util.List.of("sha256sum", "/tmp/xdpgate-lab-www/200M.bin"), SHORT).output();
        String original = lab.api().get("/api/v1/policy").body();
        // the same web rule, plus one that differs: each swap installs a new generation
        String other = original.replace("\"no-telnet\"", "\"no-telnet-b\"");
        long dropsBefore = lab.stat("drop");
        Process curl = new ProcessBuilder("ip", "netns", "exec", "xg-client", "curl", "-sS", "--limit-rate", "40M",
                "-o", Lab.RUN.resolve("swap.bin").toString(), "http://198.18.2.2:8080/200M.bin")
                .redirectErrorStream(true).start();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(300);
            var r = lab.api().put("/api/v1/policy", i % 2 == 0 ? other : original);
            assertEquals(200, r.status(), r.body());
        }
        assertTrue(curl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "transfer finished");
        assertEquals(0, curl.exitValue(), new String(curl.getInputStream().readAllBytes()));
        String got = Lab.sh(java.util.List.of("sha256sum", Lab.RUN.resolve("swap.bin").toString()), SHORT).output();
        assertEquals(expected.split(" ")[0], got.split(" ")[0], "sha256 after 10 policy swaps mid-transfer");
        assertEquals(dropsBefore, lab.stat("drop"), "not one packet dropped during the swaps");
        Files.delete(Lab.RUN.resolve("swap.bin"));
        var fresh = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "5", "http://198.18.2.2/");
        assertEquals(0, fresh.exit(), "new flows still classified after the swaps: " + fresh.output());
    }

    /** Last: afterwards the lab is unfiltered. */
    @Test
    @Order(Integer.MAX_VALUE)
    void detachTakesTheFirewallOffAndThePinsWithPurge() throws Exception {
        var before = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "2", "telnet://198.18.2.2:23");
        assertEquals(28, before.exit(), "filtered: " + before.output());
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        int exit = io.xdpgate.controlplane.cli.XdpgateCli.run(new String[] {"--socket", Lab.SOCKET.toString(),
                "detach", "--purge"}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("\"purged\":true"), out.toString());
        var after = Lab.inNs("xg-client", SHORT, "curl", "-sS", "-m", "2", "telnet://198.18.2.2:23");
        assertEquals(7, after.exit(), "unfiltered now: the server's kernel refuses the port at once: " + after.output());
        var xdp = Lab.inNs("xg-fw", SHORT, "ip", "-d", "link", "show", "ext0");
        assertTrue(!xdp.output().contains("prog/xdp"), xdp.output());
        assertTrue(!Files.exists(Lab.PINS.resolve("conns")), "pins removed");
        assertTrue(lab.api().get("/healthz").body().contains("\"detached\":true"));
    }
}
