package io.xdpgate.gateways.http;

import static io.xdpgate.gateways.http.HttpGatewayTest.answer;
import static io.xdpgate.gateways.http.HttpGatewayTest.assertClient;
import static io.xdpgate.gateways.http.HttpGatewayTest.assertServer;
import static io.xdpgate.gateways.http.HttpGatewayTest.deny;
import static io.xdpgate.gateways.http.HttpGatewayTest.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xdpgate.gateways.http.HttpGatewayTest.Wire;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10, item 4: requests a lenient backend could read otherwise than the gateway, each
 * refused with its exact reason (or passed, where a config key allows it), through a session
 * fed whole, split at every byte offset and byte by byte ({@link HttpGatewayTest#assertClient}).
 * Configs are read by {@link HttpGatewayConfig#fromMap}, as the policy's gateway config is.
 */
class HttpStrictReadingTest {
    private static final String TE = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    static HttpGatewayConfig config(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("denyHosts", List.of("internal.example"));
        m.put("denyPaths", List.of("/admin"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return HttpGatewayConfig.fromMap(m);
    }

    private static final HttpGatewayConfig STRICT = config();

    /** A request (or requests) and what the session must answer: status 0 passes, else 400 or 403 with the reason. */
    record Case(String description, HttpGatewayConfig config, Wire wire, int status, String reason) {
        @Override
        public String toString() {
            return description;
        }

        void check() {
            if (status == 0) {
                assertClient(config, wire, null);
            } else {
                String why = status == 400 ? "invalid request: " + reason : reason;
                assertClient(config, wire, deny(why, answer(status, why)));
            }
        }
    }

    static Case refused400(String description, HttpGatewayConfig config, Wire wire, String reason) {
        return new Case(description, config, wire, 400, reason);
    }

    static Case refused403(String description, HttpGatewayConfig config, Wire wire, String reason) {
        return new Case(description, config, wire, 403, reason);
    }

    static Case passes(String description, HttpGatewayConfig config, Wire wire) {
        return new Case(description, config, wire, 0, null);
    }

    /** A GET of {@code target} refused when its head is complete (the policy judges whole heads). */
    static Wire get(String target) {
        return new Wire().refused("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    /** A GET of {@code target} refused at the end of its request line. */
    static Wire getLine(String target) {
        return new Wire().refused("GET " + target + " HTTP/1.1\r\n").held("Host: a\r\n\r\n");
    }

    // ---- 1. paths: judged in every reading; what cannot be judged is refused

    static Stream<Case> paths() {
        return Stream.of(
                refused403("repeated slashes are merged", STRICT, get("//admin/x"), "path /admin/x is denied"),
                refused403("many slashes", STRICT, get("///admin//x"), "path /admin/x is denied"),
                refused403(";parameters are cut from each segment (Tomcat)", STRICT, get("/admin;jsessionid=0A1B/x"),
                        "path /admin/x is denied"),
                refused403("..; is .. once its parameter is cut", STRICT, get("/public/..;/admin/x"),
                        "path /admin/x is denied"),
                refused403("a segment of parameters only, then ..", STRICT, get("/public/x/;/../../admin"),
                        "path /admin is denied"),
                refused403("dot segments kept (a router that does not normalize)", STRICT, get("/admin/../public/x"),
                        "path /admin/../public/x is denied"),
                refused403("empty segment kept before ..", config("denyPaths", List.of("/public/secret")),
                        get("/public/secret//.."), "path /public/secret/ is denied"),
                refused403("unreserved escapes decoded", STRICT, get("/%61dmin/x"), "path /admin/x is denied"),
                refused403("absolute form, merged", STRICT, new Wire().refused("GET http://a//admin/x HTTP/1.1\r\nHost: a\r\n\r\n"),
                        "path /admin/x is denied"),
                refused403("every reading must be allowed", config("allowPaths", List.of("/public/")), get("//public/x"),
                        "path //public/x is not allowed"),
                passes("an allowed path with parameters", config("allowPaths", List.of("/public/")),
                        new Wire().head("GET /public/a;jsessionid=1?q=%2F HTTP/1.1\r\nHost: a\r\n\r\n").end()),
                refused403("%2F, where allowed, is judged as / too",
                        config("allowEncodedSlash", true, "denyPaths", List.of("/api/private/")),
                        get("/api/public%2F..%2Fprivate/key"), "path /api/private/key is denied"),
                passes("%2F where allowed", config("allowEncodedSlash", true),
                        new Wire().head("GET /api/v4/projects/group%2Fproject HTTP/1.1\r\nHost: a\r\n\r\n").end()),
                refused403("raw UTF-8, where allowed, matches the prefix's escapes",
                        config("allowUtf8Target", true, "denyPaths", List.of("/caf%c3%a9")),
                        get("/caf\u00c3\u00a9/menu"), "path /caf%C3%A9/menu is denied"),
                passes("raw UTF-8 where allowed", config("allowUtf8Target", true),
                        new Wire().head("GET /caf\u00c3\u00a9 HTTP/1.1\r\nHost: a\r\n\r\n").end()),

                refused400("backslash", STRICT, getLine("/admin\\x"), "backslash in the request path \"/admin\\x\""),
                refused400("backslash for a slash", STRICT, getLine("/public\\..\\admin"),
                        "backslash in the request path \"/public\\..\\admin\""),
                refused400("encoded dot", STRICT, getLine("/%2e%2e/admin"),
                        "encoded \".\" (%2E) in the request path \"/%2e%2e/admin\""),
                refused400("encoded slash", STRICT, getLine("/admin%2fx"),
                        "encoded \"/\" (%2F) in the request path \"/admin%2fx\" (allowEncodedSlash)"),
                refused400("encoded backslash", STRICT, getLine("/public%5c..%5cadmin"),
                        "encoded \"\\\" (%5C) in the request path \"/public%5c..%5cadmin\""),
                refused400("encoded backslash even with allowEncodedSlash", config("allowEncodedSlash", true),
                        getLine("/a%5Cb"), "encoded \"\\\" (%5C) in the request path \"/a%5Cb\""),
                refused400("encoded semicolon", STRICT, getLine("/admin%3bx/"),
                        "encoded \";\" (%3B) in the request path \"/admin%3bx/\""),
                refused400("encoded NUL", STRICT, getLine("/admin%00.html"),
                        "encoded control character (%00) in the request path \"/admin%00.html\""),
                refused400("encoded CR", STRICT, getLine("/a%0D"), "encoded control character (%0D) in the request path \"/a%0D\""),
                refused400("malformed escape", STRICT, getLine("/a%zz"), "malformed percent-encoding in the request path \"/a%zz\""),
                refused400("escape cut short", STRICT, getLine("/a%4"), "malformed percent-encoding in the request path \"/a%4\""),
                refused400("IIS %u escape", STRICT, getLine("/%u0061dmin"),
                        "malformed percent-encoding in the request path \"/%u0061dmin\""),
                refused400("overlong UTF-8 dot", STRICT, getLine("/%c0%ae%c0%ae/admin"),
                        "request path is not UTF-8 once percent-decoded: \"/%c0%ae%c0%ae/admin\""),
                refused400("fragment", STRICT, getLine("/public#/../admin"),
                        "fragment (#) in the request target \"/public#/../admin\""),
                refused400("raw UTF-8 by default", STRICT, getLine("/caf\u00c3\u00a9"),
                        "non-ASCII byte in the request target \"/caf\\xc3\\xa9\" (allowUtf8Target)"),
                refused400("raw bytes that are not UTF-8", config("allowUtf8Target", true), getLine("/\u00c0\u00ae"),
                        "request target is not UTF-8: \"/\\xc0\\xae\""),
                refused400("user info", STRICT, getLine("http://u:p@a/"), "user info in the request target \"http://u:p@a/\""),
                refused400("other schemes", STRICT, getLine("ftp://a/x"),
                        "scheme of the request target must be http or https: \"ftp://a/x\""),
                refused400("backslash in the authority", STRICT, getLine("http://a\\b/x"),
                        "invalid host in the request target \"http://a\\b/x\""),
                refused400("CONNECT to a bad port", STRICT,
                        new Wire().refused("CONNECT a:99999 HTTP/1.1\r\n").held("Host: a:99999\r\n\r\n"),
                        "invalid request target \"a:99999\": CONNECT takes host:port"),
                passes("a backslash in the query is not the path's", STRICT,
                        new Wire().head("GET /a?x=\\%zz HTTP/1.1\r\nHost: a\r\n\r\n").end()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void pathsAreJudgedInEveryReading(Case c) {
        c.check();
    }

    // ---- 2. Host

    static Stream<Case> hosts() {
        return Stream.of(
                refused400("two Hosts in HTTP/1.0", STRICT, new Wire().refused("GET / HTTP/1.0\r\nHost: a\r\nHost: internal.example\r\n\r\n"),
                        "more than one Host header"),
                refused400("two Hosts in HTTP/1.1", STRICT, new Wire().refused("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
                        "more than one Host header"),
                refused400("a Host list", STRICT, new Wire().refused("GET / HTTP/1.1\r\nHost: a.example, internal.example\r\n\r\n"),
                        "invalid Host \"a.example, internal.example\""),
                refused400("a Host with a path", STRICT, new Wire().refused("GET / HTTP/1.1\r\nHost: a.example/admin\r\n\r\n"),
                        "invalid Host \"a.example/admin\""),
                refused400("a Host with user info", STRICT, new Wire().refused("GET / HTTP/1.1\r\nHost: internal.example@a\r\n\r\n"),
                        "invalid Host \"internal.example@a\""),
                refused400("a Host with a bad port", STRICT, new Wire().refused("GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n"),
                        "invalid Host \"a:99999\""),
                refused403("absolute form and Host disagree, HTTP/1.0 too", STRICT,
                        new Wire().refused("GET http://internal.example/ HTTP/1.0\r\nHost: a.example\r\n\r\n"),
                        "target host internal.example does not match Host a.example"),
                passes("an IPv6 Host with a port", STRICT, new Wire().head("GET / HTTP/1.1\r\nHost: [2001:db8::1]:8080\r\n\r\n").end()),
                passes("an empty Host", STRICT, new Wire().head("GET / HTTP/1.1\r\nHost:\r\n\r\n").end()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void hostIsOneAndWellFormed(Case c) {
        c.check();
    }

    // ---- 4. chunk extensions and trailers

    static Stream<Case> chunks() {
        Wire chunk = new Wire().head(TE).held("5\r\n").data("hello").held("\r\n0\r\n");
        return Stream.of(
                passes("extensions per RFC 9112 7.1.1", STRICT, new Wire().head(TE).held("5 ; a = \"q\\\"x\" ;b;c=d\r\n")
                        .data("hello").held("\r\n0;last\r\nX-Sum: 5\r\n\r\n").end()),
                refused400("chunk extension over maxChunkExtension", config("maxChunkExtension", 16),
                        new Wire().head(TE).refused("5;" + "a".repeat(16)).held("\r\nhello\r\n0\r\n\r\n"),
                        "chunk extension longer than 16 bytes"),
                refused400("no chunk extension at all", config("maxChunkExtension", 0),
                        new Wire().head(TE).refused("5;").held("a\r\nhello\r\n0\r\n\r\n"), "chunk extension longer than 0 bytes"),
                refused400("extension without a name", STRICT, new Wire().head(TE).refused("5;=x\r\n"), "invalid chunk extension \";=x\""),
                refused400("extension with an empty value", STRICT, new Wire().head(TE).refused("5;a=\r\n"), "invalid chunk extension \";a=\""),
                refused400("unterminated quoted extension", STRICT, new Wire().head(TE).refused("5;a=\"x\r\n"),
                        "invalid chunk extension \";a=\"x\""),
                refused400("junk after the size", STRICT, new Wire().head(TE).refused("5 x\r\n"), "invalid chunk size \"5 x\""),
                refused400("space after the size", STRICT, new Wire().head(TE).refused("5 \r\n"), "invalid chunk size \"5 \""),
                refused400("Content-Length in a trailer", STRICT, chunk.refused("Content-Length: 5\r\n").held("\r\n"),
                        "header Content-Length is not allowed in a trailer"),
                refused400("Transfer-Encoding in a trailer", STRICT,
                        new Wire().head(TE).held("0\r\n").refused("transfer-encoding: chunked\r\n").held("\r\n"),
                        "header transfer-encoding is not allowed in a trailer"),
                refused400("Host in a trailer", STRICT, new Wire().head(TE).held("0\r\nX-Sum: 1\r\n").refused("Host: internal.example\r\n"),
                        "header Host is not allowed in a trailer"),
                refused400("Authorization in a trailer", STRICT, new Wire().head(TE).held("0\r\n").refused("Authorization: Basic x\r\n"),
                        "header Authorization is not allowed in a trailer"),
                refused400("a condition in a trailer", STRICT, new Wire().head(TE).held("0\r\n").refused("If-Match: *\r\n"),
                        "header If-Match is not allowed in a trailer"),
                refused400("a look-alike of Content-Length in a trailer", STRICT,
                        new Wire().head(TE).held("0\r\n").refused("Content_Length: 5\r\n"),
                        "header name \"Content_Length\" could be read as Content-Length"),
                refused400("more trailers than maxTrailers", config("maxTrailers", 1),
                        new Wire().head(TE).held("0\r\nX-A: 1\r\n").refused("X-B: 2\r\n").held("\r\n"), "more than 1 trailer fields"),
                refused400("no trailers at all", config("maxTrailers", 0), new Wire().head(TE).held("0\r\n").refused("X-A: 1\r\n"),
                        "more than 0 trailer fields"),
                refused400("trailer bytes over maxTrailerBytes", config("maxTrailerBytes", 10),
                        new Wire().head(TE).held("0\r\n").refused("X-Checksum: 12345\r\n"), "trailer section larger than 10 bytes"),
                passes("trailers count apart from the head", config("maxHeaders", 2),
                        new Wire().head(TE).held("0\r\nX-A: 1\r\nX-B: 2\r\nX-C: 3\r\n\r\n").end()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunks")
    void chunkExtensionsAndTrailersAreBoundedAndChecked(Case c) {
        c.check();
    }

    // ---- 6. ambiguous framing

    static Stream<Case> framing() {
        HttpGatewayConfig bodyOnGet = config("allowBodyOn", List.of("GET", "DELETE"));
        return Stream.of(
                refused400("GET with Content-Length", STRICT,
                        new Wire().refused("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n").held("hello"),
                        "GET request with a body (Content-Length: 5) (allowBodyOn)"),
                refused400("GET with Transfer-Encoding", STRICT,
                        new Wire().refused("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n").held("0\r\n\r\n"),
                        "GET request with a body (Transfer-Encoding: chunked) (allowBodyOn)"),
                refused400("HEAD with Content-Length", STRICT,
                        new Wire().refused("HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 44\r\n\r\n")
                                .held("GET /admin HTTP/1.1\r\nHost: a\r\n\r\n"),
                        "HEAD request with a body (Content-Length: 44) (allowBodyOn)"),
                refused400("HEAD with Transfer-Encoding", STRICT,
                        new Wire().refused("HEAD / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"),
                        "HEAD request with a body (Transfer-Encoding: chunked) (allowBodyOn)"),
                refused400("DELETE with Content-Length", STRICT,
                        new Wire().refused("DELETE /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n"),
                        "DELETE request with a body (Content-Length: 2) (allowBodyOn)"),
                refused400("OPTIONS with Transfer-Encoding", STRICT,
                        new Wire().refused("OPTIONS * HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"),
                        "OPTIONS request with a body (Transfer-Encoding: chunked) (allowBodyOn)"),
                refused400("TRACE with a body, whatever the config", bodyOnGet,
                        new Wire().refused("TRACE / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n"),
                        "TRACE request with a body (Content-Length: 1)"),
                refused400("CONNECT with a body", STRICT,
                        new Wire().refused("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nTransfer-Encoding: chunked\r\n\r\n"),
                        "CONNECT request with a body (Transfer-Encoding: chunked)"),
                passes("GET with Content-Length: 0", STRICT,
                        new Wire().head("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").end()),
                passes("GET with a body where allowBodyOn names GET", bodyOnGet,
                        new Wire().head("GET /_search HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n").data("{...}").end()
                                .head("DELETE /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n").held("2\r\n")
                                .data("{}").held("\r\n0\r\n\r\n").end()),
                refused400("HEAD still refused when allowBodyOn names GET", bodyOnGet,
                        new Wire().refused("HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"),
                        "HEAD request with a body (Content-Length: 5) (allowBodyOn)"),

                lookAlike("Transfer_Encoding", "chunked", "Transfer-Encoding"),
                lookAlike("Content_Length", "5", "Content-Length"),
                lookAlike("Transfer---Encoding", "chunked", "Transfer-Encoding"),
                lookAlike("Transfer___Encoding", "chunked", "Transfer-Encoding"),
                lookAlike("Content--Length", "5", "Content-Length"),
                lookAlike("TransferEncoding", "chunked", "Transfer-Encoding"),
                lookAlike("Transfer.Encoding", "chunked", "Transfer-Encoding"),
                lookAlike("-Content-Length", "5", "Content-Length"),
                lookAlike("Content-Length_", "5", "Content-Length"),
                lookAlike("CONTENT_LENGTH", "5", "Content-Length"),
                lookAlike("Host_", "internal.example", "Host"),
                lookAlike("Up-grade", "websocket", "Upgrade"),
                refused400("a non-ASCII look-alike letter", STRICT,
                        new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encod\u00c4\u00b1ng: chunked\r\n"),
                        "invalid header field name in \"Transfer-Encod\\xc4\\xb1ng: chunked\""),
                refused400("a non-breaking space before the colon", STRICT,
                        new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length\u00a0: 5\r\n"),
                        "invalid header field name in \"Content-Length\\xa0: 5\""),
                refused400("a tab before the name", STRICT,
                        new Wire().refused("POST / HTTP/1.1\r\n\tTransfer-Encoding: chunked\r\n"), "obsolete line folding (obs-fold)"),
                passes("names differing in case only are the same field", STRICT,
                        new Wire().head("POST / HTTP/1.1\r\nhost: a\r\ncontent-LENGTH: 2\r\n\r\n").data("ok").end()));
    }

    static Case lookAlike(String name, String value, String real) {
        return refused400(name, STRICT, new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\n" + name + ": " + value + "\r\n")
                .held("\r\n"), "header name \"" + name + "\" could be read as " + real);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framing")
    void ambiguousFramingIsRefused(Case c) {
        c.check();
    }

    // ---- 7. what RFC 9112 allows and the gateway decides

    static Stream<Case> decisions() {
        HttpGatewayConfig gzip = config("allowTransferCodings", List.of("gzip"));
        String many = "X-H: 1\r\n".repeat(99);
        return Stream.of(
                refused400("gzip before chunked, by default", STRICT,
                        new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
                        "only \"Transfer-Encoding: chunked\" is relayed, got [gzip, chunked] (allowTransferCodings)"),
                passes("gzip before chunked where allowed", gzip,
                        new Wire().head("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").held("3\r\n")
                                .data("\u001f\u008b\u0008").held("\r\n0\r\n\r\n").end()),
                refused400("a coding not allowed", gzip,
                        new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: deflate, chunked\r\n\r\n"),
                        "transfer coding deflate is not allowed, got [deflate, chunked] (allowTransferCodings)"),
                refused400("chunked not last", gzip,
                        new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
                        "chunked is not the last transfer coding of the request: [chunked, gzip]"),
                refused400("gzip alone", gzip, new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"),
                        "chunked is not the last transfer coding of the request: [gzip]"),
                refused400("chunked twice", STRICT,
                        new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"),
                        "chunked applied more than once in [chunked, chunked]"),
                refused400("chunked not in lower case", STRICT,
                        new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"),
                        "transfer coding \"Chunked\" is not in lower case"),
                refused400("two Transfer-Encoding fields", gzip,
                        new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"),
                        "more than one Transfer-Encoding header"),
                refused400("Content-Length with a leading zero", STRICT,
                        new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 010\r\n\r\n"),
                        "Content-Length with a leading zero \"010\""),
                passes("100 header fields (Apache's LimitRequestFields, Tomcat's maxHeaderCount)", STRICT,
                        new Wire().head("GET / HTTP/1.1\r\nHost: a\r\n" + many + "\r\n").end()),
                refused400("101 header fields", STRICT,
                        new Wire().refused("GET / HTTP/1.1\r\nHost: a\r\n" + many + "X-H: 1\r\n").held("\r\n"),
                        "more than 100 header fields"),
                passes("more header fields where maxHeaders allows", config("maxHeaders", 200),
                        new Wire().head("GET / HTTP/1.1\r\nHost: a\r\n" + many + many + "\r\n").end()),
                refused400("a header section over maxHeaderBytes", config("maxHeaderBytes", 1024),
                        new Wire().refused("GET / HTTP/1.1\r\nHost: a\r\n" + "X-Big: " + "b".repeat(1011) + "\r\n")
                                .held("\r\n"), "header section larger than 1024 bytes"));
    }

    /** The default bounds, as nginx's: 8 KiB lines, 32 KiB of head (split whole, byte by byte and at 64 offsets). */
    @Test
    void defaultHeadBoundsAreNginxs() {
        String line = "X-Big: " + "b".repeat(8000) + "\r\n";
        String fits = "GET / HTTP/1.1\r\nHost: a\r\n" + line.repeat(4) + "X-Big: " + "b".repeat(726) + "\r\n";
        assertSampled(STRICT, new Wire().head(fits + "\r\n").end(), null);
        String why = "invalid request: header section larger than 32768 bytes";
        String over = "GET / HTTP/1.1\r\nHost: a\r\n" + line.repeat(4) + "X-Big: " + "b".repeat(727) + "\r\n";
        assertSampled(STRICT, new Wire().refused(over).held("\r\n"), deny(why, answer(400, why)));
        String tooLong = "invalid request: header line longer than 8192 bytes";
        assertSampled(STRICT, new Wire().refused("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + "l".repeat(8185)).held("\r\n\r\n"),
                deny(tooLong, answer(400, tooLong)));
    }

    static void assertSampled(HttpGatewayConfig config, Wire w, String refusal) {
        byte[] wire = w.toByteArray();
        List<int[]> cuts = new java.util.ArrayList<>();
        cuts.add(new int[0]);
        int[] every = new int[wire.length - 1];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        cuts.add(every);
        for (int k = 1; k < 64; k++) {
            cuts.add(new int[] {(int) ((long) wire.length * k / 64)});
        }
        for (int[] c : cuts) {
            GatewaySession s = new HttpGateway(config).open(new FlowContext(1, new InetSocketAddress("192.0.2.1", 40000),
                    new InetSocketAddress("192.0.2.2", 80)));
            assertEquals(HttpGatewayTest.oracle(w, c, refusal), HttpGatewayTest.drive(s, true, 0, wire, c),
                    HttpGatewayTest.describe(c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void rfcAllowedButDecided(Case c) {
        c.check();
    }

    // ---- 5. pipelining

    @Test
    void pipelinedRequestsAreBounded() {
        String get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        HttpGatewayConfig two = config("maxPipelined", 2);
        refused400("a third request before any response", two, new Wire().head(get).end().head(get).end().refused(get)
                .held(get), "more than 2 requests awaiting a response (maxPipelined)").check();
        // a response's head makes room for one more
        GatewaySession s = new HttpGateway(two).open(new FlowContext(1, new InetSocketAddress("192.0.2.1", 40000),
                new InetSocketAddress("192.0.2.2", 80)));
        int n = get.length();
        assertEquals("APPROVE " + 2 * n, render(s.onClientBytes(0, bytes(get + get))));
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";
        assertEquals("APPROVE " + ok.length(), render(s.onServerBytes(0, bytes(ok))));
        assertEquals("APPROVE " + 3 * n, render(s.onClientBytes(2 * n, bytes(get))));
        String why = "invalid request: more than 2 requests awaiting a response (maxPipelined)";
        assertEquals(deny(why, answer(400, why)), render(s.onClientBytes(3 * n, bytes(get))));
    }

    @Test
    void oneRequestAtATime() {
        String get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        refused400("maxPipelined 1", config("maxPipelined", 1), new Wire().head(get).end().refused(get),
                "more than 1 requests awaiting a response (maxPipelined)").check();
    }

    // ---- 3. upgrades

    private static final String WS = "GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private static final String H2C = "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
            + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    static String switching(String protocol) {
        return "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: " + protocol + "\r\n\r\n";
    }

    static String refusedUpgrade(String reason) {
        return deny(reason, answer(403, reason));
    }

    @Test
    void aSwitchMustBeAskedForAndNamed() {
        HttpGatewayConfig upgrades = config("allowUpgrade", true);
        assertServer(upgrades, H2C, new Wire().refused(switching("h2c")).held("\u0000\u0000\u0000\u0004"),
                refusedUpgrade("upgrade to h2c is not allowed"));
        assertServer(upgrades, GET, new Wire().refused(switching("websocket")),
                refusedUpgrade("upgrade to websocket was not asked for by the request"));
        assertServer(upgrades, H2C, new Wire().refused(switching("websocket")),
                refusedUpgrade("upgrade to websocket was not asked for by the request"));
        assertServer(upgrades, WS, new Wire().refused(switching("h2c")),
                refusedUpgrade("upgrade to h2c was not asked for by the request"));
        assertServer(upgrades, WS, new Wire().refused("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n"),
                refusedUpgrade("101 Switching Protocols without Upgrade"));
        assertServer(upgrades, WS.replace("HTTP/1.1", "HTTP/1.0"), new Wire().refused(switching("websocket")),
                refusedUpgrade("upgrade to websocket was not asked for by the request"));
        // the request that asked is the one the 101 answers: an earlier one declined
        assertServer(upgrades, WS + GET, new Wire().head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").end()
                .refused(switching("websocket")), refusedUpgrade("upgrade to websocket was not asked for by the request"));
        // named and asked for: the flow goes, interim responses before it or not
        assertSwitches(upgrades, GET + WS, "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n" + switching("WebSocket"));
        assertSwitches(config("allowUpgrade", true, "upgradeProtocols", List.of("h2c")), H2C, switching("h2c"));
        assertSwitches(config("allowUpgrade", true, "upgradeProtocols", List.of("websocket/13")),
                WS.replace("Upgrade: websocket", "Upgrade: websocket/13, h2c"), switching("websocket/13"));
        assertServer(config("allowUpgrade", true, "upgradeProtocols", List.of("websocket/13")),
                WS.replace("Upgrade: websocket", "Upgrade: websocket/14"), new Wire().refused(switching("websocket/14")),
                refusedUpgrade("upgrade to websocket/14 is not allowed"));
    }

    /** {@code requests} approved whole, then {@code responses} end with a switch: AllowFlow, however split. */
    static void assertSwitches(HttpGatewayConfig config, String requests, String responses) {
        byte[] wire = responses.getBytes(StandardCharsets.ISO_8859_1);
        for (int[] cuts : HttpGatewayTest.splits(wire.length)) {
            GatewaySession s = new HttpGateway(config).open(new FlowContext(1, new InetSocketAddress("192.0.2.1", 40000),
                    new InetSocketAddress("192.0.2.2", 80)));
            assertEquals("APPROVE " + requests.length(), render(s.onClientBytes(0, bytes(requests))));
            List<String> verdicts = HttpGatewayTest.drive(s, false, 0, wire, cuts);
            assertEquals("ALLOW FLOW", verdicts.get(verdicts.size() - 1), HttpGatewayTest.describe(cuts) + ": " + verdicts);
        }
    }

    // ---- the response side shares the syntax

    static Stream<HttpGatewayTest.Attempt> responses() {
        return Stream.of(
                new HttpGatewayTest.Attempt("Transfer_Encoding in a response",
                        new Wire().refused("HTTP/1.1 200 OK\r\nTransfer_Encoding: chunked\r\n").held("\r\n"),
                        "header name \"Transfer_Encoding\" could be read as Transfer-Encoding"),
                new HttpGatewayTest.Attempt("Content-Length in a response trailer",
                        new Wire().head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").held("0\r\n")
                                .refused("Content-Length: 9\r\n"), "header Content-Length is not allowed in a trailer"),
                new HttpGatewayTest.Attempt("a bad chunk extension in a response",
                        new Wire().head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").refused("2;\"\r\n"),
                        "invalid chunk extension \";\"\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void responsesAreReadAsStrictly(HttpGatewayTest.Attempt a) {
        assertServer(STRICT, GET, a.wire(), "DENY invalid response: " + a.reason() + " | ");
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
