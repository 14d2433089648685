package io.xdpgate.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.controlplane.XdpgateDaemon;
import io.xdpgate.controlplane.client.UnixHttpClient;
import io.xdpgate.controlplane.config.XdpgateProperties;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.PinDir;
import io.xdpgate.datapath.testing.TestObjects;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API on TCP (loopback): only with a token; without it writes are refused, reads too. The
 * health listener: health and metrics without a token, nothing else, not even with it.
 */
@KernelTest
@SpringBootTest(classes = XdpgateDaemon.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class TcpApiKernelTest {
    private static final String TOKEN = "s3cret-" + ProcessHandle.current().pid();
    private static final PinDir PINS = new PinDir();
    private static final Path RUN = Path.of("/tmp", "xdpgate-tcp-test-" + ProcessHandle.current().pid());
    private static final int PORT = freePort();
    private static final int HEALTH_PORT = freePort();
    private static final String POLICY = "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"web\","
            + "\"protocol\":\"tcp\",\"ports\":\"80\",\"action\":\"pass\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void daemon(DynamicPropertyRegistry registry) {
        registry.add("xdpgate.bpf-object", () -> TestObjects.xdpgate().toString());
        registry.add("xdpgate.pin-dir", () -> PINS.path().toString());
        registry.add("xdpgate.state-dir", () -> RUN.resolve("state").toString());
        registry.add("xdpgate.api.socket", () -> RUN.resolve("api.sock").toString());
        registry.add("xdpgate.api.tcp-port", () -> PORT);
        registry.add("xdpgate.api.token", () -> TOKEN);
        registry.add("xdpgate.api.health-port", () -> HEALTH_PORT);
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> put(String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/api/v1/policy"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(POLICY));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void writesWithoutTheTokenAreRefused() throws Exception {
        var none = put(null);
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("Bearer"), none.body());
        assertEquals("Bearer realm=\"xdpgate\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, put("wrong").statusCode());
        assertEquals(404, new UnixHttpClient(RUN.resolve("api.sock")).get("/api/v1/policy").status(),
                "nothing was applied");
        assertEquals(200, put(TOKEN).statusCode());
        assertEquals(200, new UnixHttpClient(RUN.resolve("api.sock")).get("/api/v1/policy").status(),
                "the socket needs no token");
    }

    @Test
    void healthIsOpenReadsAreNot() throws Exception {
        var health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        var stats = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/api/v1/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, stats.statusCode());
    }

    private HttpResponse<String> onHealthPort(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HEALTH_PORT + path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(POLICY)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theHealthListenerServesHealthAndMetricsOnly() throws Exception {
        var health = onHealthPort("GET", "/healthz", null);
        assertEquals(200, health.statusCode(), health.body());
        var metrics = onHealthPort("GET", "/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("xdpgate_"), "the daemon's metrics");
        for (String path : new String[] {"/api/v1/stats", "/api/v1/policy", "/api/v1/conns"}) {
            var read = onHealthPort("GET", path, TOKEN);
            assertEquals(404, read.statusCode(), path + ": even with the token");
            assertTrue(read.body().contains("serves only GET /healthz and GET /metrics"), read.body());
        }
        var write = onHealthPort("PUT", "/api/v1/policy", TOKEN);
        assertEquals(404, write.statusCode());
        assertTrue(write.body().contains("serves only GET"), "refused before the API: nothing applied; " + write.body());
        assertEquals(404, onHealthPort("POST", "/healthz", null).statusCode(), "GET only");
    }

    /** The stream is refused like any read: 401 without the token over TCP, 404 on the health listener. */
    @Test
    void followingTheEventsNeedsTheTokenAndIsNotOnTheHealthListener() throws Exception {
        String follow = "/api/v1/events?follow=true";
        var none = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + follow)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("Bearer"), none.body());
        var health = onHealthPort("GET", follow, TOKEN);
        assertEquals(404, health.statusCode());
        assertTrue(health.body().contains("serves only GET /healthz and GET /metrics"), health.body());
        var authorized = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + follow))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (var body = authorized.body()) {
            assertEquals(200, authorized.statusCode());
            assertEquals("application/x-ndjson", authorized.headers().firstValue("Content-Type").orElse(""));
            assertEquals('\n', body.read(), "the stream began (its first heartbeat)");
        }
    }

    @Test
    void theHealthListenerNeedsAPortOfItsOwn() {
        var e = assertThrows(IllegalArgumentException.class, () -> new XdpgateProperties.Api(Path.of("/run/x.sock"), 8443,
                "127.0.0.1", "t", org.springframework.util.unit.DataSize.ofMegabytes(1), 8443, "127.0.0.1"));
        assertTrue(e.getMessage().contains("the open health listener and the API need a port each"), e.getMessage());
    }

    @Test
    void aTcpPortWithoutATokenIsAConfigurationError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new XdpgateProperties.Api(Path.of("/run/x.sock"), 8443, "127.0.0.1", null,
                        org.springframework.util.unit.DataSize.ofMegabytes(1), 0, "127.0.0.1"));
        assertTrue(e.getMessage().contains("needs xdpgate.api.token"), e.getMessage());
    }
}
