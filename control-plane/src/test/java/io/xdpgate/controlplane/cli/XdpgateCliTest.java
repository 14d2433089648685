package io.xdpgate.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The CLI without a daemon: usage errors and an unreachable socket say what is wrong. */
class XdpgateCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return XdpgateCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void anUnreachableDaemonIsExitThreeWithTheReason() {
        assertEquals(3, run("--socket", "/nonexistent/xdpgate.sock", "stats"));
        assertTrue(err.toString().contains("cannot reach the daemon"), err.toString());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString().contains("Unmatched argument"), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("--help"));
        for (String cmd : new String[] {"status", "policy", "conns", "stats", "events", "gateways"}) {
            assertTrue(out.toString().contains(cmd), out.toString());
        }
    }

    @Test
    void followWithAnUnknownOutputIsAUsageErrorAndAnUnreachableDaemonExitThree() {
        assertEquals(2, run("--socket", "/nonexistent/xdpgate.sock", "events", "--follow", "-o", "yaml"));
        assertTrue(err.toString().contains("--follow prints one line per event"), err.toString());
        assertEquals(3, run("--socket", "/nonexistent/xdpgate.sock", "events", "--follow"));
        assertTrue(err.toString().contains("cannot reach the daemon"), err.toString());
    }
}
