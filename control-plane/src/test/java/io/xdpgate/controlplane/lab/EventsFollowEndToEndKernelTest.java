package io.xdpgate.controlplane.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.cli.XdpgateCli;
import io.xdpgate.datapath.testing.KernelTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code xdpgate events --follow} (the real CLI) against the lab's daemon: a connection through the
 * lab is printed within a second of its first packet; it ends with exit 3 when the daemon goes.
 */
@KernelTest
class EventsFollowEndToEndKernelTest {
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

    /** What the CLI prints, line by line, each with when it was printed. */
    static final class Lines extends Writer {
        record Line(long nanos, String text) {
        }

        private final StringBuilder partial = new StringBuilder();
        private final List<Line> lines = new ArrayList<>();

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    lines.add(new Line(System.nanoTime(), partial.toString()));
                    partial.setLength(0);
                } else {
                    partial.append(buf[i]);
                }
            }
            notifyAll();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        synchronized Line await(String containing, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (Line l : lines) {
                    if (l.text().contains(containing)) {
                        return l;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line with \"" + containing + "\" in " + timeout + ": " + lines);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private static CompletableFuture<Integer> cli(Writer out, StringWriter err, String... args) {
        List<String> all = new ArrayList<>(List.of("--socket", Lab.SOCKET.toString()));
        all.addAll(List.of(args));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread t = new Thread(() -> exit.complete(XdpgateCli.run(all.toArray(String[]::new), new PrintWriter(out),
                new PrintWriter(err, true))), "xdpgate-cli");
        t.setDaemon(true);
        t.start();
        return exit;
    }

    private static void awaitFollowers(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!lab.api().get("/metrics").body().contains("xdpgate_events_followers " + n + ".0")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(n + " followers not subscribed in 10 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aConnectionIsPrintedWithinASecondAndTheStreamEndsWithTheDaemon() throws Exception {
        Lines text = new Lines();
        Lines json = new Lines();
        StringWriter err = new StringWriter();
        StringWriter jsonErr = new StringWriter();
        CompletableFuture<Integer> exit = cli(text, err, "events", "--follow");
        CompletableFuture<Integer> jsonExit = cli(json, jsonErr, "events", "--follow", "-o", "json");
        awaitFollowers(2);
        List<Long> latencies = new ArrayList<>();
        for (int port = 47123; port < 47126; port++) {
            String flow = "198.18.1.2:" + port + " -> 198.18.2.2:8080 tcp";
            long sent = System.nanoTime(); // just before the client starts to connect
            Process curl = new ProcessBuilder("ip", "netns", "exec", "xg-client", "curl", "-sS", "-m", "5",
                    "--local-port", Integer.toString(port), "-o", "/dev/null", "http://198.18.2.2:8080/")
                    .redirectErrorStream(true).start();
            Lines.Line line = text.await(flow, Duration.ofSeconds(5));
            long ms = (line.nanos() - sent) / 1_000_000;
            latencies.add(ms);
            assertTrue(line.text().contains(" new ") && line.text().contains(flow + " rule http-alt"), line.text());
            Lines.Line raw = json.await(flow, Duration.ofSeconds(5));
            assertTrue(raw.text().startsWith("{\"seq\":") && raw.text().contains("\"type\":\"new\""), raw.text());
            assertTrue(curl.waitFor(10, TimeUnit.SECONDS));
            assertTrue(ms < 1_000, "printed " + ms + " ms after the connection began");
        }
        System.out.println("events --follow: connection to printed line, ms: " + latencies);

        lab.killDaemon();
        assertEquals(3, exit.get(10, TimeUnit.SECONDS), err.toString());
        assertTrue(err.toString().contains("daemon"), err.toString());
        assertEquals(3, jsonExit.get(10, TimeUnit.SECONDS), jsonErr.toString());
    }
}
