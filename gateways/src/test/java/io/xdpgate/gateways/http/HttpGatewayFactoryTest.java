package io.xdpgate.gateways.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xdpgate.gateways.spi.ConfigReader;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewayFactory;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HttpGatewayFactoryTest {
    private static final FlowContext FLOW = new FlowContext(1, new InetSocketAddress("192.0.2.1", 40000),
            new InetSocketAddress("192.0.2.2", 80));
    private static final String KNOWN = "allowMethods, allowHosts, denyHosts, allowPaths, denyPaths, maxRequestLine, "
            + "maxHeaderLine, maxHeaders, maxHeaderBytes, maxChunkExtension, maxTrailers, maxTrailerBytes, maxPipelined, "
            + "allowBodyOn, allowTransferCodings, allowUtf8Target, allowEncodedSlash, onDeny, allowUpgrade, upgradeProtocols";

    @Test
    void foundByServiceLoaderAsHttp() {
        List<GatewayFactory> http = ServiceLoader.load(GatewayFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.protocol().equals("http")).toList();
        assertEquals(1, http.size());
        assertInstanceOf(HttpGatewayFactory.class, http.get(0));
    }

    @Test
    void noConfigMeansDefaults() {
        assertEquals(HttpGatewayConfig.DEFAULTS, gateway(null).config());
        assertEquals(HttpGatewayConfig.DEFAULTS, gateway(Map.of()).config());
        assertEquals(new HttpGatewayConfig(HttpPolicy.ALLOW_ALL, new HttpLimits(8192, 8192, 100, 32768, 1024, 16, 8192, 16),
                new HttpSyntax(Set.of(), List.of(), false, false), HttpGatewayConfig.DenyMode.RESPOND, false,
                List.of("websocket")), HttpGatewayConfig.DEFAULTS);
    }

    @Test
    void everyKey() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("allowMethods", List.of("GET", "HEAD"));
        config.put("allowHosts", List.of(".Example.org", "[2001:db8::1]"));
        config.put("denyHosts", List.of("internal.example.org"));
        config.put("allowPaths", List.of("/public/", "/index.html"));
        config.put("denyPaths", List.of("/public/secret"));
        config.put("maxRequestLine", 4096);
        config.put("maxHeaderLine", 2048L);
        config.put("maxHeaders", 50.0);
        config.put("maxHeaderBytes", BigInteger.valueOf(32768));
        config.put("maxChunkExtension", 0);
        config.put("maxTrailers", 0.0);
        config.put("maxTrailerBytes", 100);
        config.put("maxPipelined", 4);
        config.put("allowBodyOn", List.of("GET", "DELETE"));
        config.put("allowTransferCodings", List.of("gzip", "x-gzip"));
        config.put("allowUtf8Target", true);
        config.put("allowEncodedSlash", true);
        config.put("onDeny", "reset");
        config.put("allowUpgrade", true);
        config.put("upgradeProtocols", List.of("WebSocket", "h2c", "TLS/1.2"));
        assertEquals(new HttpGatewayConfig(
                new HttpPolicy(Set.of("GET", "HEAD"), List.of(".example.org", "[2001:db8::1]"), List.of("internal.example.org"),
                        List.of("/public/", "/index.html"), List.of("/public/secret")),
                new HttpLimits(4096, 2048, 50, 32768, 0, 0, 100, 4),
                new HttpSyntax(Set.of("GET", "DELETE"), List.of("gzip", "x-gzip"), true, true),
                HttpGatewayConfig.DenyMode.RESET, true, List.of("websocket", "h2c", "tls/1.2")), gateway(config).config());
        assertEquals(HttpGatewayConfig.DenyMode.RESPOND, gateway(Map.of("onDeny", "403")).config().onDeny());
    }

    record Bad(String key, Object value, String message) {
        @Override
        public String toString() {
            return key + " = " + ConfigReader.describe(value);
        }
    }

    static Stream<Bad> badValues() {
        return Stream.of(
                new Bad("maxHeaders", "ten", "config.maxHeaders: must be a positive integer, got \"ten\""),
                new Bad("maxHeaders", 0, "config.maxHeaders: must be a positive integer, got 0"),
                new Bad("maxRequestLine", -1, "config.maxRequestLine: must be a positive integer, got -1"),
                new Bad("maxHeaderLine", 1.5, "config.maxHeaderLine: must be a positive integer, got 1.5"),
                new Bad("maxHeaderBytes", 3_000_000_000L, "config.maxHeaderBytes: must be a positive integer, got 3000000000"),
                new Bad("maxHeaderBytes", Double.NaN, "config.maxHeaderBytes: must be a positive integer, got NaN"),
                new Bad("maxHeaders", null, "config.maxHeaders: must be a positive integer, got null"),
                new Bad("maxHeaders", true, "config.maxHeaders: must be a positive integer, got true"),
                new Bad("maxHeaders", List.of(10), "config.maxHeaders: must be a positive integer, got [10]"),
                new Bad("allowMethods", "GET", "config.allowMethods: must be a list of strings, got \"GET\""),
                new Bad("allowMethods", Map.of("GET", true), "config.allowMethods: must be a list of strings, got {\"GET\": true}"),
                new Bad("allowMethods", Arrays.asList("GET", 3), "config.allowMethods[1]: must be a string, got 3"),
                new Bad("allowMethods", Arrays.asList("GET", null), "config.allowMethods[1]: must be a string, got null"),
                new Bad("allowMethods", List.of("GE T"),
                        "config.allowMethods[0]: must be a method (an RFC 9110 token, e.g. GET), got \"GE T\""),
                new Bad("allowHosts", List.of("ok.example", "exa mple.org"),
                        "config.allowHosts[1]: must be a host name, or .domain for the domain and its subdomains, got \"exa mple.org\""),
                new Bad("denyHosts", List.of(""),
                        "config.denyHosts[0]: must be a host name, or .domain for the domain and its subdomains, got \"\""),
                new Bad("denyHosts", List.of("a.example:80"),
                        "config.denyHosts[0]: must be a host name, or .domain for the domain and its subdomains, got \"a.example:80\""),
                new Bad("allowPaths", List.of("admin"),
                        "config.allowPaths[0]: must be a path starting with \"/\", in printable ASCII, without . or .. segments, "
                                + "got \"admin\""),
                new Bad("denyPaths", List.of("/a/../b"),
                        "config.denyPaths[0]: must be a path starting with \"/\", in printable ASCII, without . or .. segments, "
                                + "got \"/a/../b\""),
                new Bad("denyPaths", List.of("/a/%2E%2e/b"),
                        "config.denyPaths[0]: must be a path starting with \"/\", in printable ASCII, without . or .. segments, "
                                + "got \"/a/%2E%2e/b\""),
                new Bad("denyPaths", List.of("/a b"),
                        "config.denyPaths[0]: must be a path starting with \"/\", in printable ASCII, without . or .. segments, "
                                + "got \"/a b\""),
                new Bad("onDeny", "drop", "config.onDeny: must be \"403\" or \"reset\", got \"drop\""),
                new Bad("onDeny", 403, "config.onDeny: must be \"403\" or \"reset\", got 403"),
                new Bad("onDeny", "RESET", "config.onDeny: must be \"403\" or \"reset\", got \"RESET\""),
                new Bad("allowUpgrade", "yes", "config.allowUpgrade: must be true or false, got \"yes\""),
                new Bad("allowUpgrade", null, "config.allowUpgrade: must be true or false, got null"),
                new Bad("maxChunkExtension", -1, "config.maxChunkExtension: must be a non-negative integer, got -1"),
                new Bad("maxTrailers", "none", "config.maxTrailers: must be a non-negative integer, got \"none\""),
                new Bad("maxTrailerBytes", 0.5, "config.maxTrailerBytes: must be a non-negative integer, got 0.5"),
                new Bad("maxPipelined", 0, "config.maxPipelined: must be a positive integer, got 0"),
                new Bad("allowBodyOn", "GET", "config.allowBodyOn: must be a list of strings, got \"GET\""),
                new Bad("allowBodyOn", List.of("GET", "TRACE"), "config.allowBodyOn[1]: must be one of GET, HEAD, DELETE, "
                        + "OPTIONS (other methods may carry a body; TRACE and CONNECT never do), got \"TRACE\""),
                new Bad("allowBodyOn", List.of("get"), "config.allowBodyOn[0]: must be one of GET, HEAD, DELETE, "
                        + "OPTIONS (other methods may carry a body; TRACE and CONNECT never do), got \"get\""),
                new Bad("allowTransferCodings", List.of("chunked"), "config.allowTransferCodings[0]: must be one of gzip, "
                        + "deflate, compress, x-gzip, x-compress (chunked is always allowed last), got \"chunked\""),
                new Bad("allowTransferCodings", List.of("br"), "config.allowTransferCodings[0]: must be one of gzip, "
                        + "deflate, compress, x-gzip, x-compress (chunked is always allowed last), got \"br\""),
                new Bad("allowUtf8Target", "true", "config.allowUtf8Target: must be true or false, got \"true\""),
                new Bad("allowEncodedSlash", 1, "config.allowEncodedSlash: must be true or false, got 1"),
                new Bad("upgradeProtocols", "websocket", "config.upgradeProtocols: must be a list of strings, got \"websocket\""),
                new Bad("upgradeProtocols", List.of("web socket"), "config.upgradeProtocols[0]: must be an upgrade protocol "
                        + "(a token, or token/version, e.g. websocket), got \"web socket\""),
                new Bad("upgradeProtocols", List.of("h2c/"), "config.upgradeProtocols[0]: must be an upgrade protocol "
                        + "(a token, or token/version, e.g. websocket), got \"h2c/\""),
                new Bad("denyPaths", List.of("/ok", "/a//b"), "config.denyPaths[1]: must be a path a request can have: without "
                        + "\"//\", \"\\\", \";\", \"?\", \"#\", a malformed escape or an escaped \".\", \"\\\", \";\" or control "
                        + "character, got \"/a//b\""),
                new Bad("allowPaths", List.of("/admin;x"), "config.allowPaths[0]: must be a path a request can have: without "
                        + "\"//\", \"\\\", \";\", \"?\", \"#\", a malformed escape or an escaped \".\", \"\\\", \";\" or control "
                        + "character, got \"/admin;x\""),
                new Bad("denyPaths", List.of("/a\\b"), "config.denyPaths[0]: must be a path a request can have: without "
                        + "\"//\", \"\\\", \";\", \"?\", \"#\", a malformed escape or an escaped \".\", \"\\\", \";\" or control "
                        + "character, got \"/a\\\\b\""),
                new Bad("denyPaths", List.of("/a%2e"), "config.denyPaths[0]: must be a path a request can have: without "
                        + "\"//\", \"\\\", \";\", \"?\", \"#\", a malformed escape or an escaped \".\", \"\\\", \";\" or control "
                        + "character, got \"/a%2e\""),
                new Bad("denyPaths", List.of("/a%g0"), "config.denyPaths[0]: must be a path a request can have: without "
                        + "\"//\", \"\\\", \";\", \"?\", \"#\", a malformed escape or an escaped \".\", \"\\\", \";\" or control "
                        + "character, got \"/a%g0\""),
                new Bad("maxHeader", 10, "config.maxHeader: unknown key; known keys are " + KNOWN),
                new Bad("allow_methods", List.of("GET"), "config.allow_methods: unknown key; known keys are " + KNOWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValuesAreRefusedNamingTheKey(Bad b) {
        Map<String, Object> config = new HashMap<>();
        config.put(b.key(), b.value());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gateway(config));
        assertEquals(b.message(), e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnceInTheConfigsOrder() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("onDeny", "drop");
        config.put("allowMethods", List.of("GET"));
        config.put("maxHeaders", "ten");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gateway(config));
        assertEquals("config.onDeny: must be \"403\" or \"reset\", got \"drop\"; "
                + "config.maxHeaders: must be a positive integer, got \"ten\"", e.getMessage());
    }

    @Test
    void theGatewayEnforcesItsConfig() {
        Map<String, Object> config = Map.of("allowMethods", List.of("GET"), "onDeny", "reset", "maxHeaders", 1);
        GatewaySession s = gateway(config).open(FLOW);
        assertEquals(new Verdict.Approve(27), s.onClientBytes(0, bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")));
        Verdict v = s.onClientBytes(27, bytes("DELETE / HTTP/1.1\r\nHost: a\r\n\r\n"));
        Verdict.Deny deny = assertInstanceOf(Verdict.Deny.class, v);
        assertEquals("method DELETE is not allowed", deny.reason());
        assertEquals(0, deny.refusal().length);

        Verdict.Deny tooMany = assertInstanceOf(Verdict.Deny.class, gateway(config).open(FLOW)
                .onClientBytes(0, bytes("GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n")));
        assertEquals("invalid request: more than 1 header fields", tooMany.reason());

        // h2c only when named (upgradeProtocols defaults to websocket)
        String h2c = "GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n";
        String switching = "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n";
        GatewaySession upgrades = gateway(Map.of("allowUpgrade", true, "upgradeProtocols", List.of("websocket", "h2c"))).open(FLOW);
        upgrades.onClientBytes(0, bytes(h2c));
        assertEquals(new Verdict.AllowFlow(), upgrades.onServerBytes(0, bytes(switching)));
        GatewaySession websocketOnly = gateway(Map.of("allowUpgrade", true)).open(FLOW);
        websocketOnly.onClientBytes(0, bytes(h2c));
        assertEquals("upgrade to h2c is not allowed",
                assertInstanceOf(Verdict.Deny.class, websocketOnly.onServerBytes(0, bytes(switching))).reason());
    }

    private static HttpGateway gateway(Map<String, Object> config) {
        return (HttpGateway) new HttpGatewayFactory().create(config);
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
