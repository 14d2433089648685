package io.xdpgate.gateways.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Responses as a table: what the parser must report, the same whether the bytes arrive at once,
 * split at every offset, or one by one. Every transcript ends with where the parser stopped and
 * how many requests are still waiting for a response.
 */
class HttpResponseParserTest {
    /** A transcript of listener calls; body bytes between a head and its end are joined. */
    static final class Transcript implements HttpResponseParser.Listener {
        final List<String> events = new ArrayList<>();
        private final StringBuilder body = new StringBuilder();

        @Override
        public void head(ResponseHead head) {
            events.add("HEAD " + describe(head));
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

        @Override
        public void tunnel(ResponseHead head) {
            events.add("TUNNEL " + describe(head));
        }

        private static String describe(ResponseHead head) {
            return head.version() + " " + head.status() + " [" + head.reason() + "] " + head.headers().size();
        }
    }

    record Case(String description, List<String> methods, String wire, boolean closes, List<String> expected) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** A case ending with the bytes: the connection stays open. */
    static Case open(String description, List<String> methods, String wire, String... expected) {
        return new Case(description, methods, wire, false, List.of(expected));
    }

    /** A case where the server closes its side after the bytes. */
    static Case closed(String description, List<String> methods, String wire, String... expected) {
        return new Case(description, methods, wire, true, List.of(expected));
    }

    static Case bad(String description, List<String> methods, String wire, String violation) {
        return new Case(description, methods, wire, false, List.of("VIOLATION " + violation));
    }

    static Case badAtClose(String description, List<String> methods, String wire, String violation) {
        return new Case(description, methods, wire, true, List.of("VIOLATION " + violation));
    }

    private static final List<String> GET = List.of("GET");

    static Stream<Case> cases() {
        return Stream.of(
                open("200 with Content-Length", GET, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                        "HEAD HTTP/1.1 200 [OK] 1", "BODY hello", "END", "OUTSTANDING 0"),
                open("reason phrase with spaces", GET, "HTTP/1.1 404 Not Found Here\r\nContent-Length: 0\r\n\r\n",
                        "HEAD HTTP/1.1 404 [Not Found Here] 1", "BODY ", "END", "OUTSTANDING 0"),
                open("empty reason phrase", GET, "HTTP/1.1 204 \r\n\r\n",
                        "HEAD HTTP/1.1 204 [] 0", "BODY ", "END", "OUTSTANDING 0"),
                open("no space after the code", GET, "HTTP/1.1 204\r\n\r\n",
                        "HEAD HTTP/1.1 204 [] 0", "BODY ", "END", "OUTSTANDING 0"),
                open("HTTP/1.0 response", GET, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi",
                        "HEAD HTTP/1.0 200 [OK] 1", "BODY hi", "END", "OUTSTANDING 0"),
                open("response to HEAD has no body whatever its Content-Length", List.of("HEAD", "GET"),
                        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
                        "HEAD HTTP/1.1 200 [OK] 1", "BODY ", "END", "HEAD HTTP/1.1 200 [OK] 1", "BODY hi", "END",
                        "OUTSTANDING 0"),
                open("response to HEAD has no body when chunked", List.of("HEAD", "GET"),
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
                        "HEAD HTTP/1.1 200 [OK] 1", "BODY ", "END", "HEAD HTTP/1.1 204 [No Content] 0", "BODY ", "END",
                        "OUTSTANDING 0"),
                open("304 has no body whatever its Content-Length", List.of("GET", "GET"),
                        "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
                        "HEAD HTTP/1.1 304 [Not Modified] 1", "BODY ", "END", "HEAD HTTP/1.1 200 [OK] 1", "BODY x", "END",
                        "OUTSTANDING 0"),
                open("204 with Content-Length 0", GET, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
                        "HEAD HTTP/1.1 204 [No Content] 1", "BODY ", "END", "OUTSTANDING 0"),
                open("100 Continue, then the final response", List.of("POST"),
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
                        "HEAD HTTP/1.1 100 [Continue] 0", "BODY ", "END", "HEAD HTTP/1.1 201 [Created] 1", "BODY ok", "END",
                        "OUTSTANDING 0"),
                open("interim responses keep the request outstanding", List.of("GET"),
                        "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n",
                        "HEAD HTTP/1.1 103 [Early Hints] 1", "BODY ", "END", "OUTSTANDING 1"),
                open("101 Switching Protocols: what follows is not parsed", GET,
                        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                                + "\u0081\u0005hello\n\r\u0000 not HTTP",
                        "TUNNEL HTTP/1.1 101 [Switching Protocols] 2", "OUTSTANDING 0"),
                open("2xx to CONNECT: a tunnel", List.of("CONNECT"),
                        "HTTP/1.1 200 Connection Established\r\n\r\n\u0016\u0003\u0001 TLS",
                        "TUNNEL HTTP/1.1 200 [Connection Established] 0", "OUTSTANDING 0"),
                open("407 to CONNECT: an ordinary response", List.of("CONNECT"),
                        "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 3\r\n\r\nno!",
                        "HEAD HTTP/1.1 407 [Proxy Authentication Required] 1", "BODY no!", "END", "OUTSTANDING 0"),
                open("chunked with extension and trailer", GET,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n",
                        "HEAD HTTP/1.1 200 [OK] 1", "BODY hello world", "END", "OUTSTANDING 0"),
                open("gzip, chunked: chunked framing", GET,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\n\u001f\u008b\u0008\r\n0\r\n\r\n",
                        "HEAD HTTP/1.1 200 [OK] 1", "BODY \u001f\u008b\u0008", "END", "OUTSTANDING 0"),
                closed("gzip alone: the body runs until the close", GET,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\nmore",
                        "HEAD HTTP/1.1 200 [OK] 1", "OUTSTANDING 0", "BODY 0\r\n\r\nmore", "END"),
                closed("chunked, gzip: chunked is not last, so until the close", GET,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n5\r\nhello",
                        "HEAD HTTP/1.1 200 [OK] 2", "OUTSTANDING 0", "BODY 5\r\nhello", "END"),
                closed("neither Content-Length nor Transfer-Encoding: until the close", GET,
                        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
                        "HEAD HTTP/1.0 200 [OK] 1", "OUTSTANDING 0", "BODY HTTP/1.1 200 OK\r\n\r\n", "END"),
                open("a close-delimited body still open", GET, "HTTP/1.1 200 OK\r\n\r\npartial",
                        "HEAD HTTP/1.1 200 [OK] 0", "OUTSTANDING 0", "PENDING partial"),
                closed("closed between responses", GET, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                        "HEAD HTTP/1.1 200 [OK] 1", "BODY ", "END", "OUTSTANDING 0"),
                open("three pipelined responses", List.of("GET", "HEAD", "GET", "GET"),
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
                                + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n"
                                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nthree\r\n0\r\n\r\n",
                        "HEAD HTTP/1.1 200 [OK] 1", "BODY one", "END", "HEAD HTTP/1.1 200 [OK] 1", "BODY ", "END",
                        "HEAD HTTP/1.1 200 [OK] 1", "BODY three", "END", "OUTSTANDING 1"),

                bad("response with no request", List.of(), "HTTP/1.1 200 OK\r\n\r\n",
                        "response without an outstanding request AT 1"),
                bad("two responses to one request", GET,
                        "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                        "response without an outstanding request AT 28"),
                bad("empty line where the status line belongs", GET, "\r\nHTTP/1.1 200 OK\r\n\r\n",
                        "status line must be VERSION SP CODE SP REASON: \"\" AT 2"),
                bad("SSH banner", GET, "SSH-2.0-OpenSSH_9.6\r\n", "not an HTTP status line: \"S\" AT 1"),
                bad("binary", GET, "HTTX\u0000\u00ff", "not an HTTP status line: \"HTTX\" AT 4"),
                bad("HTTP/2", GET, "HTTP/2.0 200 OK\r\n\r\n", "unsupported version \"HTTP/2.0\" AT 17"),
                bad("HTTP/1.2", GET, "HTTP/1.2 200 OK\r\n\r\n", "unsupported version \"HTTP/1.2\" AT 17"),
                bad("version alone", GET, "HTTP/1.1\r\n\r\n", "status line must be VERSION SP CODE SP REASON: \"HTTP/1.1\" AT 10"),
                bad("four-digit status", GET, "HTTP/1.1 2000 OK\r\n\r\n", "invalid status code \"2000\" AT 18"),
                bad("two-digit status", GET, "HTTP/1.1 20 OK\r\n\r\n", "invalid status code \"20\" AT 16"),
                bad("status 600", GET, "HTTP/1.1 600 Odd\r\n\r\n", "invalid status code \"600\" AT 18"),
                bad("status 099", GET, "HTTP/1.1 099 Odd\r\n\r\n", "invalid status code \"099\" AT 18"),
                bad("no status code", GET, "HTTP/1.1  OK\r\n\r\n", "invalid status code \"\" AT 14"),
                bad("control character in the reason", GET, "HTTP/1.1 200 O\u0001K\r\n\r\n",
                        "control character in the reason phrase AT 18"),
                bad("bare LF after the status line", GET, "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
                        "bare LF: lines end in CRLF AT 16"),
                bad("bare LF ending the head", GET, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n",
                        "bare LF: lines end in CRLF AT 37"),
                bad("bare CR", GET, "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n", "bare CR in the message head AT 17"),
                bad("obs-fold", GET, "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n", "obsolete line folding (obs-fold) AT 29"),
                bad("space before the colon", GET, "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n",
                        "invalid header field name in \"Content-Length : 0\" AT 37"),
                bad("control character in a value", GET, "HTTP/1.1 200 OK\r\nContent-Length: \u000b0\r\n\r\n",
                        "control character in header Content-Length AT 37"),
                bad("Content-Length and Transfer-Encoding", GET,
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "both Transfer-Encoding and Content-Length (response splitting) AT 66"),
                bad("Content-Length and Transfer-Encoding, even for HEAD", List.of("HEAD"),
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                        "both Transfer-Encoding and Content-Length (response splitting) AT 66"),
                bad("two Content-Lengths", GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
                        "more than one Content-Length AT 57"),
                bad("Content-Length list", GET, "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nhi",
                        "more than one Content-Length AT 41"),
                bad("negative Content-Length", GET, "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                        "invalid Content-Length \"-1\" AT 39"),
                bad("hex Content-Length", GET, "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n",
                        "invalid Content-Length \"0x10\" AT 41"),
                bad("invalid chunk size", GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\ng\r\n",
                        "invalid chunk size \"g\" AT 50"),
                bad("chunk size with a sign", GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n",
                        "invalid chunk size \"+5\" AT 51"),
                bad("chunk size too long", GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n00000000001\r\n",
                        "invalid chunk size \"00000000001\" AT 60"),
                bad("chunk longer than its size", GET,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
                        "chunk data longer than its size AT 55"),
                bad("chunked twice", GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
                        "chunked applied more than once in [chunked, chunked] AT 56"),
                bad("invalid transfer coding", GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: g zip, chunked\r\n\r\n",
                        "invalid transfer coding \"g zip\" AT 54"),
                bad("Transfer-Encoding in HTTP/1.0", GET, "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "Transfer-Encoding in an HTTP/1.0 response AT 47"),
                bad("204 announcing a body", GET, "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello",
                        "Content-Length 5 in a 204 response AT 46"),
                bad("204 chunked", GET, "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "Transfer-Encoding in a 204 response AT 55"),
                bad("100 announcing a body", List.of("POST"), "HTTP/1.1 100 Continue\r\nContent-Length: 1\r\n\r\nx",
                        "Content-Length 1 in a 100 response AT 44"),
                bad("status line over the limit", GET, "HTTP/1.1 200 " + "x".repeat(8192) + "\r\n\r\n",
                        "status line longer than 8192 bytes AT 8193"),
                bad("header line over the limit", GET, "HTTP/1.1 200 OK\r\nX: " + "x".repeat(8192) + "\r\n\r\n",
                        "header line longer than 8192 bytes AT 8210"),
                bad("too many header fields", GET, "HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(101) + "\r\n",
                        "more than 100 header fields AT 623"),
                bad("a look-alike of Content-Length", GET, "HTTP/1.1 200 OK\r\nContent_Length: 5\r\n\r\nhello",
                        "header name \"Content_Length\" could be read as Content-Length AT 36"),
                bad("a framing field in a trailer", GET,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n",
                        "header Content-Length is not allowed in a trailer AT 69"),
                bad("a bad chunk extension", GET,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a b\r\nhello\r\n0\r\n\r\n",
                        "invalid chunk extension \";a b\" AT 54"),
                bad("more trailer fields than the default 16", GET,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + "X: 1\r\n".repeat(17) + "\r\n",
                        "more than 16 trailer fields AT 152"),
                badAtClose("closed inside a Content-Length body", GET, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",
                        "connection closed inside a response AT 41"),
                badAtClose("closed inside a chunked body", GET,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
                        "connection closed inside a response AT 57"),
                badAtClose("closed inside a status line", GET, "HTTP/1.1 200",
                        "connection closed inside a status line AT 12"));
    }

    private static List<String> parse(Case c, byte[] wire, int[] cuts) {
        Transcript t = new Transcript();
        HttpResponseParser p = new HttpResponseParser(HttpLimits.DEFAULTS, t);
        c.methods().forEach(p::expect);
        int from = 0;
        try {
            for (int cut : cuts) {
                p.feed(ByteBuffer.wrap(wire, from, cut - from));
                from = cut;
            }
            p.feed(ByteBuffer.wrap(wire, from, wire.length - from));
            assertEquals(wire.length, p.position(), "a parser without a violation consumes everything");
            t.events.add("OUTSTANDING " + p.outstanding());
            if (c.closes()) {
                p.endOfStream();
            } else if (!t.body.isEmpty()) {
                t.events.add("PENDING " + t.body);
            }
        } catch (HttpViolation v) {
            t.events.add("VIOLATION " + v.getMessage() + " AT " + p.position());
        }
        return t.events;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameResultHoweverTheBytesAreSplit(Case c) {
        byte[] wire = c.wire().getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = parse(c, wire, new int[0]);
        if (c.expected().size() == 1 && c.expected().get(0).startsWith("VIOLATION")) {
            assertEquals(c.expected().get(0), whole.get(whole.size() - 1), c.description() + ": " + whole);
        } else {
            assertEquals(c.expected(), whole, c.description());
        }
        for (int i = 1; i < wire.length; i++) {
            assertEquals(whole, parse(c, wire, new int[] {i}), c.description() + ", split at " + i);
        }
        int[] everyByte = new int[Math.max(0, wire.length - 1)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(whole, parse(c, wire, everyByte), c.description() + ", byte by byte");
    }

    @Test
    void methodsMayBeExpectedBetweenResponses() throws HttpViolation {
        Transcript t = new Transcript();
        HttpResponseParser p = new HttpResponseParser(HttpLimits.DEFAULTS, t);
        p.expect("HEAD");
        p.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n"));
        p.expect("GET");
        p.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n"));
        p.feed(bytes("1234567"));
        assertEquals(List.of("HEAD HTTP/1.1 200 [OK] 1", "BODY ", "END", "HEAD HTTP/1.1 200 [OK] 1", "BODY 1234567", "END"),
                t.events);
        assertEquals(0, p.outstanding());
    }

    @Test
    void aViolationIsFinal() {
        HttpResponseParser p = new HttpResponseParser(HttpLimits.DEFAULTS, new Transcript());
        p.expect("GET");
        HttpViolation first = assertThrows(HttpViolation.class,
                () -> p.feed(bytes("HTTP/1.1 200 OK\nX")));
        assertEquals("bare LF: lines end in CRLF", first.getMessage());
        HttpViolation after = assertThrows(HttpViolation.class,
                () -> p.feed(bytes("HTTP/1.1 200 OK\r\n\r\n")));
        assertEquals("the connection already carried an invalid response", after.getMessage());
    }

    @Test
    void limitsApplyToResponses() {
        HttpResponseParser p = new HttpResponseParser(new HttpLimits(20, 10, 2, 15), new Transcript());
        p.expect("GET");
        HttpViolation v = assertThrows(HttpViolation.class,
                () -> p.feed(bytes("HTTP/1.1 200 OK\r\nA: 12345\r\nB: 12345\r\n\r\n")));
        assertEquals("header section larger than 15 bytes", v.getMessage());
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
