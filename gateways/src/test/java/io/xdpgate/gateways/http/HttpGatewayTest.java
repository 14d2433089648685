package io.xdpgate.gateways.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sessions driven with byte streams split at every offset (and whole, and byte by byte). Each
 * stream is described by where its bytes may be approved: heads of allowed messages when
 * complete, body data byte by byte, ends of messages; and, for refused streams, the offset at
 * which the refusal becomes visible. An oracle turns that into the exact verdict of every call:
 * a refusal is answered by the call that finds it, even when that call also completed allowed
 * bytes (the drive always ends with an empty call, which must repeat the last answer).
 */
class HttpGatewayTest {
    private static final FlowContext FLOW = new FlowContext(7, new InetSocketAddress("192.0.2.1", 40000),
            new InetSocketAddress("192.0.2.2", 80));
    private static final HttpPolicy POLICY = new HttpPolicy(Set.of("GET", "HEAD", "POST"), List.of(),
            List.of("internal.example"), List.of(), List.of("/admin"));
    private static final HttpGatewayConfig RESPOND =
            new HttpGatewayConfig(POLICY, HttpLimits.DEFAULTS, HttpGatewayConfig.DenyMode.RESPOND, false);
    private static final HttpGatewayConfig RESET =
            new HttpGatewayConfig(POLICY, HttpLimits.DEFAULTS, HttpGatewayConfig.DenyMode.RESET, false);

    private static final String GET = "GET /index.html HTTP/1.1\r\nHost: a.example\r\n\r\n";

    /** One direction's bytes and where they may be approved. */
    static final class Wire {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TreeSet<Long> points = new TreeSet<>(List.of(0L));
        private final List<long[]> ranges = new ArrayList<>();
        long violationAt = -1;

        /** A head that may pass: approvable once complete. */
        Wire head(String s) {
            append(s);
            points.add(size());
            return this;
        }

        /** Body data: approvable byte by byte. */
        Wire data(String s) {
            long from = size();
            append(s);
            ranges.add(new long[] {from, size()});
            return this;
        }

        /** Bytes approvable only with what comes after them (chunk framing, a partial head). */
        Wire held(String s) {
            append(s);
            return this;
        }

        /** The end of a message: everything before is approvable. */
        Wire end() {
            points.add(size());
            return this;
        }

        /** Bytes whose last one reveals the refusal. */
        Wire refused(String s) {
            append(s);
            violationAt = size();
            return this;
        }

        long size() {
            return bytes.size();
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        /**
         * Approvable after the first {@code e} bytes were consumed: through the last complete
         * message part, and of what is unfinished all but the last byte (no receiver acts on a
         * head before its final LF, and a sender waiting for ACKs keeps going).
         */
        long through(long e) {
            long t = points.floor(e);
            for (long[] r : ranges) {
                if (e > r[0]) {
                    t = Math.max(t, Math.min(e, r[1]));
                }
            }
            return Math.max(t, e - 1);
        }

        private void append(String s) {
            bytes.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    static String render(Verdict v) {
        if (v instanceof Verdict.Approve a) {
            return "APPROVE " + a.through();
        }
        if (v instanceof Verdict.Deny d) {
            return "DENY " + d.reason() + " | " + new String(d.refusal(), StandardCharsets.ISO_8859_1);
        }
        return "ALLOW FLOW";
    }

    static String deny(String reason, String refusal) {
        return "DENY " + reason + " | " + refusal;
    }

    /** The answer a RESPOND-mode gateway sends: the format is asserted byte for byte in its own tests. */
    static String answer(int status, String reason) {
        String body = "xdpgate: " + reason + "\n";
        return "HTTP/1.1 " + status + (status == 400 ? " Bad Request" : " Forbidden") + "\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
    }

    /** Ways to cut {@code n} bytes: whole, at each offset, byte by byte. */
    static List<int[]> splits(int n) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[0]);
        for (int i = 1; i < n; i++) {
            out.add(new int[] {i});
        }
        int[] every = new int[Math.max(0, n - 1)];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        out.add(every);
        return out;
    }

    /** Feeds {@code wire} from offset {@code start} on, cut at {@code cuts}, then makes one empty call. */
    static List<String> drive(GatewaySession s, boolean client, long start, byte[] wire, int[] cuts) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : wire.length;
            out.add(render(call(s, client, start + from, ByteBuffer.wrap(wire, from, to - from))));
            from = to;
        }
        out.add(render(call(s, client, start + wire.length, ByteBuffer.allocate(0))));
        return out;
    }

    static Verdict call(GatewaySession s, boolean client, long offset, ByteBuffer b) {
        return client ? s.onClientBytes(offset, b) : s.onServerBytes(offset, b);
    }

    /** What {@link #drive} must answer for {@code w} fed from 0, given the refusal ({@code null} if none). */
    static List<String> oracle(Wire w, int[] cuts, String refusal) {
        List<String> out = new ArrayList<>();
        long approved = 0;
        boolean settled = false;
        long[] ends = new long[cuts.length + 2];
        for (int i = 0; i < cuts.length; i++) {
            ends[i] = cuts[i];
        }
        ends[cuts.length] = w.size();
        ends[cuts.length + 1] = w.size();
        for (long e : ends) {
            if (settled) {
                out.add(refusal);
                continue;
            }
            long t = w.through(w.violationAt >= 0 ? Math.min(e, w.violationAt) : e);
            if (w.violationAt >= 0 && e >= w.violationAt) {
                settled = true;
                out.add(refusal);
            } else {
                approved = Math.max(approved, t);
                out.add("APPROVE " + approved);
            }
        }
        return out;
    }

    /** Client stream {@code w} split every way in fresh sessions: every verdict as the oracle says. */
    static void assertClient(HttpGatewayConfig config, Wire w, String refusal) {
        byte[] wire = w.toByteArray();
        for (int[] cuts : splits(wire.length)) {
            GatewaySession s = new HttpGateway(config).open(FLOW);
            assertEquals(oracle(w, cuts, refusal), drive(s, true, 0, wire, cuts), "cut at " + describe(cuts));
        }
    }

    /** Server stream {@code w} split every way, after the client's {@code requests} were fed whole and approved. */
    static void assertServer(HttpGatewayConfig config, String requests, Wire w, String refusal) {
        byte[] req = ascii(requests);
        byte[] wire = w.toByteArray();
        for (int[] cuts : splits(wire.length)) {
            GatewaySession s = new HttpGateway(config).open(FLOW);
            if (req.length > 0) {
                assertEquals("APPROVE " + req.length, render(s.onClientBytes(0, ByteBuffer.wrap(req))));
            }
            assertEquals(oracle(w, cuts, refusal), drive(s, false, 0, wire, cuts), "cut at " + describe(cuts));
        }
    }

    /** Where call {@code i} of {@link #drive} ends (the cuts, then the whole wire). */
    static int cutEnd(int[] cuts, int i) {
        return i < cuts.length ? cuts[i] : Integer.MAX_VALUE;
    }

    static String describe(int[] cuts) {
        return cuts.length == 0 ? "nothing" : cuts.length > 3 ? "every byte" : java.util.Arrays.toString(cuts);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- client side: allowed requests

    @Test
    void anAllowedRequestIsApprovedThroughItsHeadOnceTheHeadIsComplete() {
        assertClient(RESPOND, new Wire().head(GET).end(), null);
    }

    @Test
    void theOracleIsExact() {
        // the first call holds the last byte of a partial head; the second approves through its end
        GatewaySession s = new HttpGateway(RESPOND).open(FLOW);
        byte[] get = ascii(GET);
        assertEquals(List.of("APPROVE " + (get.length - 2), "APPROVE " + get.length, "APPROVE " + get.length),
                drive(s, true, 0, get, new int[] {get.length - 1}));
    }

    @Test
    void bodyBytesAreApprovedAsTheyArrive() {
        assertClient(RESPOND, new Wire()
                .head("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n").data("hello world").end()
                .head(GET).end(), null);
    }

    @Test
    void chunkFramingIsApprovedWithTheDataAfterIt() {
        assertClient(RESPOND, new Wire()
                .head("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
                .held("5;ext=1\r\n").data("hello").held("\r\n3\r\n").data("abc").held("\r\n0\r\nX-Sum: 8\r\n\r\n").end(),
                null);
    }

    @Test
    void emptyLinesBeforeARequestAreHeldWithIt() {
        assertClient(RESPOND, new Wire().head(GET).end().held("\r\n\r\n").head(GET).end(), null);
    }

    // ---- client side: refusals

    @Test
    void pipelinedAllowedThenRefusedStopsExactlyAtTheRefusedRequest() {
        Wire w = new Wire().head(GET).end()
                .head("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n").data("abc").end()
                .refused("DELETE /index.html HTTP/1.1\r\nHost: a.example\r\n\r\n")
                .held(GET);
        long refusedAt = w.violationAt - "DELETE /index.html HTTP/1.1\r\nHost: a.example\r\n\r\n".length();
        String refusal = "DENY method DELETE is not allowed | HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 38\r\nConnection: close\r\n\r\nxdpgate: method DELETE is not allowed\n";
        assertClient(RESPOND, w, refusal);
        // and in plain words: cut right before the refused request, the allowed prefix is approved;
        // whole, the call that finds the refusal answers it (the connection ends, so the allowed
        // requests' answers could not reach the client anyway)
        GatewaySession s = new HttpGateway(RESPOND).open(FLOW);
        byte[] wire = w.toByteArray();
        assertEquals(List.of("APPROVE " + refusedAt, refusal, refusal),
                drive(s, true, 0, wire, new int[] {(int) refusedAt}));
        assertEquals(refusal, render(s.onServerBytes(0, ByteBuffer.wrap(ascii("HTTP/1.1 200 OK\r\n")))),
                "a settled session answers every later call, either direction, with the same Deny");
    }

    @Test
    void resetModeRefusesWithoutAnAnswer() {
        Wire w = new Wire().head(GET).end().refused("DELETE / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertClient(RESET, w, "DENY method DELETE is not allowed | ");
        assertClient(RESET, new Wire().refused("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n"),
                "DENY invalid request: more than one Content-Length | ");
    }

    @Test
    void aRefusedHeadRequestIsAnsweredWithoutABody() {
        assertClient(RESPOND, new Wire().refused("HEAD /admin/x HTTP/1.1\r\nHost: a\r\n\r\n"),
                "DENY path /admin/x is denied | HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 33\r\nConnection: close\r\n\r\n");
    }

    @Test
    void hostsArePolicyToo() {
        assertClient(RESPOND, new Wire().refused("GET / HTTP/1.1\r\nHost: Internal.Example:8080\r\n\r\n"),
                deny("host internal.example is denied", answer(403, "host internal.example is denied")));
    }

    @Test
    void absoluteFormTargetsAreJudgedByTheirOwnPathAndHost() {
        assertClient(RESPOND, new Wire().head(GET).end().refused("GET http://a.example/admin/x HTTP/1.1\r\nHost: a.example\r\n\r\n"),
                deny("path /admin/x is denied", answer(403, "path /admin/x is denied")));
        assertClient(RESPOND, new Wire().refused("GET http://internal.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n"),
                deny("target host internal.example does not match Host a.example",
                        answer(403, "target host internal.example does not match Host a.example")));
    }

    @Test
    void reasonsArePrintableAsciiOnOneLine() {
        // a Host must be host[:port] in ASCII (issue 10): the byte is refused, and shown escaped
        HttpGatewayConfig onlyA = new HttpGatewayConfig(new HttpPolicy(Set.of(), List.of("a.example"), List.of(), List.of(),
                List.of()), HttpLimits.DEFAULTS, HttpGatewayConfig.DenyMode.RESPOND, false);
        assertClient(onlyA, new Wire().refused("GET / HTTP/1.1\r\nHost: caf\u00e9.example\r\n\r\n"),
                deny("invalid request: invalid Host \"caf\\xe9.example\"",
                        answer(400, "invalid request: invalid Host \"caf\\xe9.example\"")));
    }

    @Test
    void aParserViolationIsAnswered400() {
        assertClient(RESPOND, new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").held("0\r\n\r\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n"),
                "DENY invalid request: both Transfer-Encoding and Content-Length (request smuggling) | "
                        + "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 88\r\n"
                        + "Connection: close\r\n\r\n"
                        + "xdpgate: invalid request: both Transfer-Encoding and Content-Length (request smuggling)\n");
    }

    record Attempt(String description, Wire wire, String reason) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Attempt> smuggling() {
        String te = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        return Stream.of(
                new Attempt("CL.TE", new Wire().head(GET).end().refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").held("0\r\n\r\nX"),
                        "both Transfer-Encoding and Content-Length (request smuggling)"),
                new Attempt("TE.CL", new Wire().head(GET).end().refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Length: 3\r\n\r\n").held("8\r\nSMUGGLED\r\n0\r\n\r\n"),
                        "both Transfer-Encoding and Content-Length (request smuggling)"),
                new Attempt("duplicate Content-Length", new Wire().head(GET).end().refused("POST / HTTP/1.1\r\nHost: a\r\n"
                        + "Content-Length: 0\r\nContent-Length: 44\r\n\r\n").held("GET /admin HTTP/1.1\r\nHost: a\r\n\r\n"),
                        "more than one Content-Length"),
                new Attempt("Content-Length with a sign", new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\n"
                        + "Content-Length: +3\r\n\r\n").held("abc"), "invalid Content-Length \"+3\""),
                new Attempt("obs-fold hiding Transfer-Encoding", new Wire().head(GET).end().refused("POST / HTTP/1.1\r\nHost: a\r\n"
                        + "X: y\r\n Transfer-Encoding: chunked\r\n"), "obsolete line folding (obs-fold)"),
                new Attempt("bare LF", new Wire().head(GET).end().refused("GET / HTTP/1.1\n"), "bare LF: lines end in CRLF"),
                new Attempt("bare LF ending the head", new Wire().refused("GET / HTTP/1.1\r\nHost: a\r\n\n"),
                        "bare LF: lines end in CRLF"),
                new Attempt("bare CR", new Wire().refused("GET / HTTP/1.1\r\nHost: a\rX"), "bare CR in the message head"),
                new Attempt("bad chunk size after approved chunks", new Wire().head(te).held("5\r\n").data("hello")
                        .held("\r\n").refused("-5\r\n").held("GET /admin HTTP/1.1\r\nHost: a\r\n\r\n"),
                        "invalid chunk size \"-5\""),
                new Attempt("chunk size overflow", new Wire().head(te).refused("fffffffffffffffff1\r\n"),
                        "invalid chunk size \"fffffffffffffffff1\""),
                new Attempt("chunk longer than its size", new Wire().head(te).held("3\r\n").data("abc").refused("d\r\n"),
                        "chunk data longer than its size"),
                new Attempt("gzip transfer coding", new Wire().refused("POST / HTTP/1.1\r\nHost: a\r\n"
                        + "Transfer-Encoding: gzip, chunked\r\n\r\n"), "only \"Transfer-Encoding: chunked\" is relayed, got [gzip, chunked] (allowTransferCodings)"),
                new Attempt("two Hosts", new Wire().refused("GET / HTTP/1.1\r\nHost: a\r\nHost: internal.example\r\n\r\n"),
                        "more than one Host header"),
                new Attempt("SSH client", new Wire().refused("SSH-2.0-OpenSSH_9.6\r\n"),
                        "request line must be METHOD SP TARGET SP VERSION: \"SSH-2.0-OpenSSH_9.6\""),
                new Attempt("TLS ClientHello", new Wire().refused("\u0016").held("\u0003\u0001\u0002\u0000\u0001\u0000\u01fc"),
                        "invalid method in the request line: \"\\x16\""),
                new Attempt("binary garbage after a request", new Wire().head(GET).end().refused("\u0000")
                        .held("\u00ff\u00fe\r\n\u0007"), "invalid method in the request line: \"\\x00\""),
                new Attempt("HTTP/2 preface", new Wire().refused("PRI * HTTP/2.0\r\n").held("\r\nSM\r\n\r\n"),
                        "unsupported version \"HTTP/2.0\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smuggling")
    void smugglingAndNonHttpAreRefusedWith400(Attempt a) {
        String reason = "invalid request: " + a.reason();
        assertClient(RESPOND, a.wire(), deny(reason, answer(400, reason)));
    }

    @Test
    void aSettledSessionKeepsItsVerdict() {
        GatewaySession s = new HttpGateway(RESPOND).open(FLOW);
        Verdict first = s.onClientBytes(0, ByteBuffer.wrap(ascii("BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n")));
        assertEquals(deny("method BREW is not allowed", answer(403, "method BREW is not allowed")), render(first));
        assertEquals(render(first), render(s.onClientBytes(33, ByteBuffer.wrap(ascii(GET)))));
        assertEquals(render(first), render(s.onServerBytes(0, ByteBuffer.allocate(0))));
    }

    @Test
    void bytesOutOfOrderAreRefused() {
        GatewaySession s = new HttpGateway(RESPOND).open(FLOW);
        assertEquals("APPROVE 7", render(s.onClientBytes(0, ByteBuffer.wrap(ascii("GET / HT")))), "all but the last byte");
        assertEquals("DENY client bytes out of order: expected stream offset 8, got 9 | ",
                render(s.onClientBytes(9, ByteBuffer.wrap(ascii("P/1.1\r\n")))));
    }

    // ---- server side

    @Test
    void aResponseIsApprovedThroughItsHeadOnceCompleteThenItsBodyAsItArrives() {
        assertServer(RESPOND, GET, new Wire().head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n").data("hello").end(), null);
    }

    @Test
    void pipelinedResponsesAreApprovedAcrossTheirBoundaries() {
        assertServer(RESPOND, GET + "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n" + GET, new Wire()
                .head("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n").data("hi").end()
                .head("HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n").end()
                .head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").held("2\r\n").data("ok")
                .held("\r\n0\r\n\r\n").end(), null);
    }

    @Test
    void interimResponsesThenTheFinalOne() {
        assertServer(RESPOND, "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", new Wire()
                .head("HTTP/1.1 100 Continue\r\n\r\n").end()
                .head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").end(), null);
    }

    @Test
    void aCloseDelimitedBodyIsApprovedAsItArrives() {
        assertServer(RESPOND, GET, new Wire().head("HTTP/1.0 200 OK\r\n\r\n").data("until the server closes"), null);
    }

    static Stream<Attempt> badResponses() {
        return Stream.of(
                new Attempt("bare LF", new Wire().refused("HTTP/1.1 200 OK\n"), "bare LF: lines end in CRLF"),
                new Attempt("CL and TE", new Wire().refused("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").held("0\r\n\r\n"),
                        "both Transfer-Encoding and Content-Length (response splitting)"),
                new Attempt("two Content-Lengths", new Wire().refused("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                        + "Content-Length: 6\r\n\r\n").held("hello!"), "more than one Content-Length"),
                new Attempt("bad chunk size", new Wire().head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .held("4\r\n").data("abcd").held("\r\n").refused("x\r\n"), "invalid chunk size \"x\""),
                new Attempt("obs-fold", new Wire().refused("HTTP/1.1 200 OK\r\nSet-Cookie: a\r\n\tb\r\n"),
                        "obsolete line folding (obs-fold)"),
                new Attempt("not HTTP", new Wire().refused("S").held("SH-2.0-OpenSSH_9.6\r\n"), "not an HTTP status line: \"S\""),
                new Attempt("bad status code", new Wire().refused("HTTP/1.1 20x OK\r\n"), "invalid status code \"20x\""),
                new Attempt("a 204 with a body", new Wire().refused("HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n")
                        .held("hi"), "Content-Length 2 in a 204 response"),
                new Attempt("a second response to one request", new Wire().head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                        .end().refused("H").held("TTP/1.1 200 OK\r\n\r\n"), "response without an outstanding request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badResponses")
    void responseFramingViolationsResetWithoutAnAnswer(Attempt a) {
        assertServer(RESPOND, GET, a.wire(), "DENY invalid response: " + a.reason() + " | ");
    }

    @Test
    void aResponseBeforeAnyRequestIsRefused() {
        assertServer(RESPOND, "", new Wire().refused("H").held("TTP/1.1 408 Request Timeout\r\n\r\n"),
                "DENY invalid response: response without an outstanding request | ");
    }

    @Test
    void aResponseToARequestStillHeldIsRefused() {
        GatewaySession s = new HttpGateway(RESPOND).open(FLOW);
        assertEquals("APPROVE 24", render(s.onClientBytes(0, ByteBuffer.wrap(ascii("GET / HTTP/1.1\r\nHost: a\r\n")))),
                "all but the last byte of the unfinished head: no request is outstanding yet");
        assertEquals("DENY invalid response: response without an outstanding request | ",
                render(s.onServerBytes(0, ByteBuffer.wrap(ascii("HTTP/1.1 200 OK\r\n\r\n")))));
    }

    // ---- upgrades and tunnels

    private static final String UPGRADE = "GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

    @Test
    void upgradesAreRefusedByDefault() {
        assertServer(RESPOND, UPGRADE, new Wire().refused(SWITCHING).held("\u0081\u0002hi"),
                "DENY upgrade to websocket is not allowed | HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 45\r\nConnection: close\r\n\r\nxdpgate: upgrade to websocket is not allowed\n");
        assertServer(RESET, UPGRADE, new Wire().refused(SWITCHING), "DENY upgrade to websocket is not allowed | ");
    }

    @Test
    void aRefusedUpgradeAfterAnotherResponseApprovesThatResponseFirst() {
        assertServer(RESET, GET + UPGRADE, new Wire().head("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n").data("x").end()
                .refused(SWITCHING), "DENY upgrade to websocket is not allowed | ");
    }

    @Test
    void allowedUpgradesLetTheFlowGo() {
        HttpGatewayConfig config = new HttpGatewayConfig(POLICY, HttpLimits.DEFAULTS, HttpGatewayConfig.DenyMode.RESPOND, true);
        byte[] wire = ascii(SWITCHING + "\u0081\u0002hi");
        for (int[] cuts : splits(wire.length)) {
            GatewaySession s = new HttpGateway(config).open(FLOW);
            assertEquals("APPROVE " + UPGRADE.length(), render(s.onClientBytes(0, ByteBuffer.wrap(ascii(UPGRADE)))));
            List<String> verdicts = drive(s, false, 0, wire, cuts);
            int switched = 0;
            for (int cut : cuts) {
                switched += cut < SWITCHING.length() ? 1 : 0;
            }
            for (int i = 0; i < verdicts.size(); i++) {
                // before the 101's head is whole, all of it but its last byte may pass
                String held = "APPROVE " + Math.max(0, cutEnd(cuts, i) - 1);
                assertEquals(i < switched ? held : "ALLOW FLOW", verdicts.get(i), "call " + i + ", cut at " + describe(cuts));
            }
            assertEquals("ALLOW FLOW", render(s.onClientBytes(UPGRADE.length(), ByteBuffer.wrap(new byte[] {(byte) 0x81}))));
        }
    }

    @Test
    void connectTunnelsFollowAllowUpgrade() {
        HttpGatewayConfig open = new HttpGatewayConfig(HttpPolicy.ALLOW_ALL, HttpLimits.DEFAULTS,
                HttpGatewayConfig.DenyMode.RESPOND, false);
        String connect = "CONNECT db.example:5432 HTTP/1.1\r\nHost: db.example:5432\r\n\r\n";
        assertServer(open, connect, new Wire().refused("HTTP/1.1 200 Connection Established\r\n\r\n"),
                deny("CONNECT tunnel is not allowed", answer(403, "CONNECT tunnel is not allowed")));
        assertServer(open, connect, new Wire().head("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
                .end(), null);
    }

    // ---- whole conversations

    @Test
    void keepAliveConversationOfThreeRequests() {
        List<Wire> steps = List.of(
                new Wire().head(GET).end(),
                new Wire().head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n").data("hello").end(),
                new Wire().head("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\n").data("x=1&y=2").end(),
                new Wire().head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").held("4\r\n").data("done")
                        .held("\r\n0\r\n\r\n").end(),
                new Wire().head("HEAD /big.iso HTTP/1.1\r\nHost: a\r\n\r\n").end(),
                new Wire().head("HTTP/1.1 200 OK\r\nContent-Length: 4700000000\r\n\r\n").end());
        // step k cut at every offset, the others whole; requests are even steps, responses odd
        for (int k = 0; k < steps.size(); k++) {
            for (int cut = 1; cut < steps.get(k).size(); cut++) {
                GatewaySession s = new HttpGateway(RESPOND).open(FLOW);
                long[] at = new long[2];
                for (int j = 0; j < steps.size(); j++) {
                    Wire w = steps.get(j);
                    long base = at[j % 2];
                    List<String> want = new ArrayList<>();
                    if (j == k) {
                        want.add("APPROVE " + (base + w.through(cut)));
                    }
                    want.add("APPROVE " + (base + w.size()));
                    want.add("APPROVE " + (base + w.size()));
                    assertEquals(want, drive(s, j % 2 == 0, base, w.toByteArray(), j == k ? new int[] {cut} : new int[0]),
                            "step " + j + ", step " + k + " cut at " + cut);
                    at[j % 2] += w.size();
                }
            }
        }
    }

    @Test
    void aMegabyteBodyIsApprovedIncrementally() {
        int size = 1 << 20;
        byte[] head = ascii("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n");
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (i * 31 + 7);
        }
        GatewaySession s = new HttpGateway(RESPOND).open(FLOW);
        assertEquals("APPROVE 9", render(s.onClientBytes(0, ByteBuffer.wrap(head, 0, 10))));
        assertEquals("APPROVE " + head.length, render(s.onClientBytes(10, ByteBuffer.wrap(head, 10, head.length - 10))));
        int calls = 0;
        for (int from = 0; from < size; from += 4093) {
            int n = Math.min(4093, size - from);
            long offset = head.length + from;
            assertEquals("APPROVE " + (offset + n), render(s.onClientBytes(offset, ByteBuffer.wrap(body, from, n))));
            calls++;
        }
        assertEquals(257, calls);
        // the response streams the same way, chunked in 8000-byte chunks
        byte[] rhead = ascii("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertEquals("APPROVE " + rhead.length, render(s.onServerBytes(0, ByteBuffer.wrap(rhead))));
        long offset = rhead.length;
        long approved = offset;
        for (int from = 0; from < size; from += 8000) {
            int n = Math.min(8000, size - from);
            byte[] sizeLine = ascii(Integer.toHexString(n) + "\r\n");
            assertEquals("APPROVE " + (offset + sizeLine.length - 1), render(s.onServerBytes(offset, ByteBuffer.wrap(sizeLine))),
                    "a chunk-size line waits for its data, but for its last byte");
            offset += sizeLine.length;
            approved = offset + n;
            assertEquals("APPROVE " + approved, render(s.onServerBytes(offset, ByteBuffer.wrap(body, from, n))));
            offset += n;
            assertEquals("APPROVE " + (offset + 1), render(s.onServerBytes(offset, ByteBuffer.wrap(ascii("\r\n")))),
                    "the CRLF after the data waits for the next chunk, but for its last byte");
            offset += 2;
        }
        byte[] last = ascii("0\r\n\r\n");
        assertEquals("APPROVE " + (offset + last.length), render(s.onServerBytes(offset, ByteBuffer.wrap(last))));
        assertTrue(offset > size);
    }
}
