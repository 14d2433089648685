package io.xdpgate.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import io.xdpgate.controlplane.XdpgateDaemon;
import io.xdpgate.controlplane.client.UnixHttpClient;
import io.xdpgate.controlplane.events.EventLog;
import io.xdpgate.controlplane.events.Followers;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestObjects;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * GET /api/v1/events?follow=true on the daemon's real socket: lines as events come, a client that
 * stopped reading holds up neither the event log nor another follower, the cap, a vanished client
 * freed by the heartbeat, SSE and resuming after a seq.
 */
@KernelTest
@SpringBootTest(classes = XdpgateDaemon.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EventsFollowKernelTest {
    private static final PinDir PINS = new PinDir();
    private static final Path SOCKET = Path.of("/tmp", "xdpgate-follow-test-" + ProcessHandle.current().pid(),
            "api.sock");
    private static final int MAX = 3;

    @Autowired
    EventLog log;
    @Autowired
    Followers followers;

    private final UnixHttpClient api = new UnixHttpClient(SOCKET);
    private final List<SocketChannel> raw = new ArrayList<>();
    private final List<Thread> clients = new ArrayList<>();

    @DynamicPropertySource
    static void daemon(DynamicPropertyRegistry registry) {
        registry.add("xdpgate.bpf-object", () -> TestObjects.xdpgate().toString());
        registry.add("xdpgate.pin-dir", () -> PINS.path().toString());
        registry.add("xdpgate.state-dir", () -> SOCKET.getParent().resolve("state").toString());
        registry.add("xdpgate.api.socket", SOCKET::toString);
        registry.add("xdpgate.events.max-followers", () -> MAX);
        registry.add("xdpgate.events.follow-heartbeat", () -> "1s");
        registry.add("xdpgate.events.drop-log-rate", () -> 0); // thousands of drops, no log lines
        // a client that vanishes while its stream idles leaves Tomcat's in-progress async count one
        // too high (the request is recycled forcibly), and graceful shutdown would wait out 30 s
        registry.add("spring.lifecycle.timeout-per-shutdown-phase", () -> "2s");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        PINS.close();
        try (var paths = Files.walk(SOCKET.getParent())) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @AfterEach
    void endFollowers() throws Exception {
        for (SocketChannel ch : raw) {
            ch.close();
        }
        followers.close();
        for (Thread t : clients) {
            t.join(10_000);
        }
        waitFor(() -> followers.count() == 0, 10_000, "every follower ended");
    }

    private void accept(int n) throws Exception {
        Tuple t = Tuple.of(InetAddress.getByName("198.18.1.2"), 40000, InetAddress.getByName("198.18.2.2"), 23, 6);
        for (int i = 0; i < n; i++) {
            log.accept(new Event(System.nanoTime(), 0, t, Tuple.ZERO, (int) Abi.XG_RULE_DEFAULT, 0, EventType.DROP,
                    Stat.DROP_DEFAULT));
        }
    }

    private static void waitFor(BooleanSupplier done, long ms, String what) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + ms + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** A follower through the client the CLI uses; its lines land in the queue. */
    private BlockingQueue<String> follow(String query) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        int before = followers.count();
        Thread t = new Thread(() -> {
            try {
                var r = api.stream("/api/v1/events?follow=true" + query, lines::add);
                lines.add("END " + r.status() + " " + r.body());
            } catch (IOException e) {
                lines.add("END " + e);
            }
        });
        t.start();
        clients.add(t);
        waitFor(() -> followers.count() > before, 5_000, "the follower subscribed");
        return lines;
    }

    /** A client that sends the request and then never reads. */
    private SocketChannel stuck(String accept) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        raw.add(ch);
        ch.connect(UnixDomainSocketAddress.of(SOCKET));
        ch.write(ByteBuffer.wrap(("GET /api/v1/events?follow=true HTTP/1.1\r\nHost: localhost\r\nAccept: " + accept
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        return ch;
    }

    private static long seq(String line) {
        Matcher m = Pattern.compile("^\\{\"seq\":(\\d+),").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    @Test
    void eachEventArrivesAsOneLineOfTheListsShape() throws Exception {
        BlockingQueue<String> lines = follow("");
        long first = log.received() + 1;
        accept(3);
        for (long s = first; s < first + 3; s++) {
            String line = lines.poll(5, TimeUnit.SECONDS);
            assertNotNull(line, "event " + s);
            assertEquals(s, seq(line), line);
            assertTrue(line.contains("\"type\":\"drop\""), line);
            assertTrue(line.contains("\"text\":\"198.18.1.2:40000 -> 198.18.2.2:23 tcp\""), line);
            assertTrue(line.contains("\"reason\":\"default\""), line);
        }
        String list = api.get("/api/v1/events?limit=1").body();
        assertTrue(list.contains("\"seq\":" + (first + 2) + ","), list);
    }

    @Test
    void aClientThatStopsReadingDoesNotStopAnotherFollower() throws Exception {
        stuck("application/x-ndjson");
        waitFor(() -> followers.count() == 1, 5_000, "the stuck client follows");
        BlockingQueue<String> lines = follow("");
        long first = log.received() + 1;
        int n = 20_000; // ~9 MB of lines: far more than the stuck client's socket buffers hold
        long s = first;
        for (int batch = 0; batch < n / 500; batch++) {
            long start = System.nanoTime();
            accept(500);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "accept never waits on a client");
            // paced by the other follower: it gets each burst whole while the stuck one stays stuck
            for (long end = s + 500; s < end; s++) {
                String line = lines.poll(5, TimeUnit.SECONDS);
                assertNotNull(line, "event " + s);
                assertEquals(s, seq(line), "every event, in order, none lost");
            }
        }
        assertTrue(followers.lost() > 0, "the stuck client lost events: " + followers.lost());
        String metrics = api.get("/metrics").body();
        assertTrue(metrics.contains("xdpgate_events_followers 2.0"), metrics);
        Matcher lost = Pattern.compile("xdpgate_events_follow_lost_total (\\d+)").matcher(metrics);
        assertTrue(lost.find() && Double.parseDouble(lost.group(1)) > 0, metrics);
    }

    @Test
    void beyondTheCapIs429AndABadTypeIs400() throws Exception {
        var bad = api.stream("/api/v1/events?follow=true&type=accept", l -> { });
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("\"parameter\":\"type\""), bad.body());
        for (int i = 0; i < MAX; i++) {
            stuck("application/x-ndjson");
        }
        waitFor(() -> followers.count() == MAX, 5_000, "the cap's worth follow");
        var refused = api.stream("/api/v1/events?follow=true", l -> { });
        assertEquals(429, refused.status(), refused.body());
        assertTrue(refused.header("content-type").startsWith("application/problem+json"), refused.headers().toString());
        assertTrue(refused.body().contains("\"limit\":" + MAX), refused.body());
        assertTrue(refused.body().contains("xdpgate.events.max-followers"), refused.body());
        assertEquals(200, api.get("/api/v1/events?limit=1").status(), "the list is still served");
    }

    @Test
    void aVanishedClientIsNoticedByTheHeartbeatAndFreed() throws Exception {
        SocketChannel ch = stuck("application/x-ndjson");
        waitFor(() -> followers.count() == 1, 5_000, "the client follows");
        ch.close();
        waitFor(() -> followers.count() == 0, 5_000, "freed within a few heartbeats (1 s)");
    }

    @Test
    void serverSentEventsAndResumingAfterASeq() throws Exception {
        accept(3);
        long last = log.received();
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        raw.add(ch);
        ch.connect(UnixDomainSocketAddress.of(SOCKET));
        ch.write(ByteBuffer.wrap(("GET /api/v1/events?follow=true HTTP/1.1\r\nHost: localhost\r\n"
                + "Accept: text/event-stream\r\nLast-Event-ID: " + (last - 2) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        waitFor(() -> followers.count() == 1, 5_000, "the SSE client follows");
        accept(1);
        StringBuilder got = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(65536);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!got.toString().contains("id: " + (last + 1) + "\n") && System.nanoTime() < deadline) {
            buf.clear();
            if (ch.read(buf) < 0) {
                break;
            }
            got.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
        }
        String text = got.toString();
        assertTrue(text.contains("Content-Type: text/event-stream"), text);
        assertTrue(!text.contains("id: " + (last - 2) + "\n"), "not the one it had: " + text);
        for (long s = last - 1; s <= last + 1; s++) {
            assertTrue(text.contains("id: " + s + "\nevent: drop\ndata: {\"seq\":" + s + ","), s + " in " + text);
        }
    }
}
