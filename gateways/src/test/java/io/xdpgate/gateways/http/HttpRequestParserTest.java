package io.xdpgate.gateways.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests as a table: what the parser must report, the same whether the bytes arrive at once,
 * split at every offset, or one by one.
 */
class HttpRequestParserTest {
    /** A transcript of listener calls; body bytes between a head and its end are joined. */
    static final class Transcript implements HttpRequestParser.Listener {
        final List<String> events = new ArrayList<>();
        private final StringBuilder body = new StringBuilder();

        @Override
        public void head(RequestHead head) {
            events.add("HEAD " + head.method() + " " + head.target() + " " + head.version() + " " + head.headers().size());
        }

        @Override
        public void body(ByteBuffer bytes) {
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            body.append(new String(b, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void complete() {
            events.add("BODY " + body);
            body.setLength(0);
            events.add("END");
        }
    }

    record Case(String description, String wire, List<String> expected, String violation) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Case ok(String description, String wire, String... expected) {
        return new Case(description, wire, List.of(expected), null);
    }

    static Case bad(String description, String wire, String violation) {
        return new Case(description, wire, List.of(), violation);
    }

    static Stream<Case> cases() {
        return Stream.of(
                ok("GET", "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n",
                        "HEAD GET /index.html HTTP/1.1 1", "BODY ", "END"),
                ok("POST with Content-Length", "POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
                        "HEAD POST /f HTTP/1.1 2", "BODY hello", "END"),
                ok("chunked with extension and trailer",
                        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "5;x=y\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Sum: 1\r\n\r\n",
                        "HEAD POST /c HTTP/1.1 2", "BODY hello0123456789", "END"),
                ok("two pipelined requests", "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
                        "HEAD GET /1 HTTP/1.1 1", "BODY ", "END", "HEAD GET /2 HTTP/1.1 1", "BODY ", "END"),
                ok("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", "HEAD GET / HTTP/1.0 0", "BODY ", "END"),
                ok("empty line before the request", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
                        "HEAD GET / HTTP/1.1 1", "BODY ", "END"),
                bad("Content-Length and Transfer-Encoding",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n",
                        "both Transfer-Encoding and Content-Length"),
                bad("two Content-Lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\n",
                        "more than one Content-Length"),
                bad("Content-Length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 4\r\n\r\n",
                        "more than one Content-Length"),
                bad("signed Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +4\r\n\r\n",
                        "invalid Content-Length"),
                bad("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n", "obs-fold"),
                bad("bare LF", "GET / HTTP/1.1\nHost: a\r\n\r\n", "bare LF"),
                bad("bare CR", "GET / HTTP/1.1\rHost: a\r\n\r\n", "bare CR"),
                bad("invalid chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                        "invalid chunk size"),
                bad("chunk longer than its size",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
                        "chunk data longer"),
                bad("gzip transfer coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                        "only \"Transfer-Encoding: chunked\""),
                bad("space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "invalid header field name"),
                bad("no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", "without Host"),
                bad("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host"),
                bad("HTTP/2 preface is not HTTP/1.1", "PRI * HTTP/2.0\r\n\r\n", "unsupported version"),
                bad("not HTTP at all", "\u0016\u0003\u0001\u0002\u0000\u0001\r\n", "request line"),
                bad("lowercase-less method token", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", "invalid method"),
                ok("tabs around a field value are optional whitespace", "GET / HTTP/1.1\r\nHost:\ta \t\r\n\r\n",
                        "HEAD GET / HTTP/1.1 1", "BODY ", "END"),
                bad("control character before a field value is not whitespace",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \u001c5\r\n\r\nhello",
                        "control character in header Content-Length"),
                bad("binary refused at its first byte, before any line end", "\u0000\u0001\u00ff",
                        "invalid method in the request line: \"\\x00\""),
                bad("chunked with parameters", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;x=1\r\n\r\n",
                        "chunked transfer coding with parameters"),
                ok("absolute-form target", "GET http://a/x?y HTTP/1.1\r\nHost: a\r\n\r\n",
                        "HEAD GET http://a/x?y HTTP/1.1 1", "BODY ", "END"),
                ok("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "HEAD OPTIONS * HTTP/1.1 1", "BODY ", "END"),
                ok("CONNECT host:port", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
                        "HEAD CONNECT a:443 HTTP/1.1 1", "BODY ", "END"),
                bad("relative target", "GET admin/../x HTTP/1.1\r\nHost: a\r\n\r\n",
                        "invalid request target \"admin/../x\": /path, an absolute URI, host:port for CONNECT or * for OPTIONS"),
                bad("asterisk for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", "invalid request target \"*\""),
                bad("CONNECT to a path", "CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n", "invalid request target \"/x\""),
                ok("chunk extensions with BWS and quoted values, several trailers",
                        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "3 ; sig=\"a;b\\\"c\" ; x\r\nabc\r\n0;end=1\r\nX-A: 1\r\nX-B: 2\r\n\r\n",
                        "HEAD POST /c HTTP/1.1 2", "BODY abc", "END"),
                ok("GET with Content-Length 0", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
                        "HEAD GET / HTTP/1.1 2", "BODY ", "END"),
                ok("an IP literal Host and an https absolute target", "GET https://[::1]:8443/x HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n",
                        "HEAD GET https://[::1]:8443/x HTTP/1.1 1", "BODY ", "END"),
                ok("odd characters in the query are the query's", "GET /s?q={\"a\":[1|2]}&r=\\%zz HTTP/1.1\r\nHost: a\r\n\r\n",
                        "HEAD GET /s?q={\"a\":[1|2]}&r=\\%zz HTTP/1.1 1", "BODY ", "END"),
                bad("GET with a body", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx",
                        "GET request with a body (Content-Length: 1) (allowBodyOn)"),
                bad("Transfer_Encoding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer_Encoding: chunked\r\n\r\n",
                        "header name \"Transfer_Encoding\" could be read as Transfer-Encoding"),
                bad("framing field in a trailer", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "0\r\nContent-Length: 4\r\n\r\n", "header Content-Length is not allowed in a trailer"),
                bad("backslash in the path", "GET /a\\b HTTP/1.1\r\nHost: a\r\n\r\n", "backslash in the request path \"/a\\b\""),
                bad("empty transfer coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n",
                        "invalid transfer coding \"\""));
    }

    private static List<String> parse(byte[] wire, int[] cuts, Transcript t) {
        HttpRequestParser p = new HttpRequestParser(HttpLimits.DEFAULTS, t);
        int from = 0;
        try {
            for (int cut : cuts) {
                p.feed(ByteBuffer.wrap(wire, from, cut - from));
                from = cut;
            }
            p.feed(ByteBuffer.wrap(wire, from, wire.length - from));
        } catch (HttpViolation v) {
            t.events.add("VIOLATION " + v.getMessage());
        }
        return t.events;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameResultHoweverTheBytesAreSplit(Case c) {
        byte[] wire = c.wire().getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = parse(wire, new int[0], new Transcript());
        if (c.violation() == null) {
            assertEquals(c.expected(), whole, c.description());
        } else {
            String last = whole.get(whole.size() - 1);
            assertTrue(last.startsWith("VIOLATION") && last.contains(c.violation()), c.description() + ": " + whole);
        }
        for (int i = 1; i < wire.length; i++) {
            assertEquals(whole, parse(wire, new int[] {i}, new Transcript()), c.description() + ", split at " + i);
        }
        int[] everyByte = new int[Math.max(0, wire.length - 1)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(whole, parse(wire, everyByte, new Transcript()), c.description() + ", byte by byte");
    }
}
