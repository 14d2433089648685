package io.xdpgate.gateways.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Jazzer harnesses for the HTTP parsers and the session. Each input is fed whole, byte by byte
 * and at cuts drawn from the input itself (so a finding replays), and must give:
 *
 * <ul>
 *   <li>no exception but the parser's own {@link HttpViolation} (the session none at all);</li>
 *   <li>positions, and a session's approvals, within the bytes fed and never going back;</li>
 *   <li>the same transcript (every listener call with its position, the violation and where it
 *       was found; a session's verdict once each direction is fed) however the bytes are split.</li>
 * </ul>
 *
 * <p>In a normal build (no {@code JAZZER_FUZZ}) each harness runs once over its seed corpus in
 * {@code src/test/resources/io/xdpgate/gateways/http/HttpFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} Jazzer fuzzes the one selected harness (gateways/README.md).
 */
class HttpFuzzTest {
    /** The session's input: client bytes, this line, server bytes. */
    static final byte[] SERVER_MARK = "\n--server--\n".getBytes(StandardCharsets.ISO_8859_1);

    private static final HttpSyntax LENIENT = new HttpSyntax(java.util.Set.of("GET", "HEAD", "DELETE", "OPTIONS"),
            List.of("gzip", "deflate"), true, true);
    private static final HttpLimits SMALL = new HttpLimits(256, 128, 8, 512, 8, 2, 64, 3);
    private static final List<HttpGatewayConfig> CONFIGS = List.of(
            HttpGatewayConfig.DEFAULTS,
            HttpGatewayConfig.fromMap(Map.of("allowMethods", List.of("GET", "HEAD", "POST", "CONNECT"),
                    "denyHosts", List.of(".internal.example"), "allowPaths", List.of("/public/", "/index.html"),
                    "denyPaths", List.of("/public/secret"), "onDeny", "reset")),
            new HttpGatewayConfig(HttpPolicy.ALLOW_ALL, SMALL, LENIENT, HttpGatewayConfig.DenyMode.RESPOND, true,
                    List.of("websocket", "h2c")),
            new HttpGatewayConfig(new HttpPolicy(java.util.Set.of(), List.of(), List.of(), List.of(), List.of("/admin")),
                    HttpLimits.DEFAULTS, LENIENT, HttpGatewayConfig.DenyMode.RESPOND, true, List.of("websocket")));

    // ---- the request parser

    @FuzzTest(maxDuration = "5m")
    void requestParser(byte[] input) {
        for (HttpSyntax syntax : List.of(HttpSyntax.DEFAULTS, LENIENT)) {
            for (HttpLimits limits : List.of(HttpLimits.DEFAULTS, SMALL)) {
                List<String> whole = parseRequests(input, new int[0], limits, syntax);
                for (int[] cuts : cuts(input)) {
                    assertEquals(whole, parseRequests(input, cuts, limits, syntax), "cut at " + Arrays.toString(cuts));
                }
            }
        }
    }

    /** A transcript that checks positions as it goes. */
    abstract static class Checked {
        final List<String> events = new ArrayList<>();
        long fed;
        long last;

        private long body;

        void at(String event, long position) {
            assertTrue(position >= last && position <= fed, event + " at " + position + " after " + last + ", fed " + fed);
            last = position;
            body = 0;
            events.add(event + " @" + position);
        }

        /** Body bytes: the last {@code n} bytes before {@code position}; consecutive ones are joined (they depend on the cuts). */
        void body(int n, long position) {
            assertTrue(position - n >= last && position <= fed, "body of " + n + " ending at " + position + " after " + last
                    + ", fed " + fed);
            long joined = body + n;
            if (body > 0) {
                events.remove(events.size() - 1);
            }
            at("BODY", position);
            events.set(events.size() - 1, "BODY " + joined + " @" + position);
            body = joined;
        }
    }

    static List<String> parseRequests(byte[] input, int[] cuts, HttpLimits limits, HttpSyntax syntax) {
        final class Listener extends Checked implements HttpRequestParser.Listener {
            HttpRequestParser parser;

            @Override
            public void head(RequestHead head) {
                at("HEAD " + head, parser.position());
            }

            @Override
            public void body(ByteBuffer bytes) {
                body(bytes.remaining(), parser.position());
            }

            @Override
            public void complete() {
                at("END", parser.position());
            }
        }
        Listener l = new Listener();
        l.parser = new HttpRequestParser(limits, syntax, l);
        int from = 0;
        try {
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : input.length;
                l.fed += to - from;
                l.parser.feed(ByteBuffer.wrap(input, from, to - from));
                from = to;
            }
            assertEquals(input.length, l.parser.position(), "without a violation every byte is consumed");
        } catch (HttpViolation v) {
            l.at("VIOLATION " + v.getMessage(), l.parser.position());
        }
        return l.events;
    }

    // ---- the response parser

    @FuzzTest(maxDuration = "5m")
    void responseParser(byte[] input) {
        // the requests answered: a method per input byte of a short prefix, so the fuzzer steers them
        List<String> methods = new ArrayList<>();
        int n = input.length == 0 ? 0 : 1 + (input[0] & 3);
        for (int i = 1; i <= n && i < input.length; i++) {
            methods.add(List.of("GET", "HEAD", "POST", "CONNECT", "GET", "OPTIONS", "PUT", "GET").get(input[i] & 7));
        }
        byte[] wire = Arrays.copyOfRange(input, Math.min(input.length, n + 1), input.length);
        for (HttpLimits limits : List.of(HttpLimits.DEFAULTS, SMALL)) {
            for (boolean close : new boolean[] {false, true}) {
                List<String> whole = parseResponses(wire, new int[0], limits, methods, close);
                for (int[] cuts : cuts(wire)) {
                    assertEquals(whole, parseResponses(wire, cuts, limits, methods, close), "cut at " + Arrays.toString(cuts));
                }
            }
        }
    }

    static List<String> parseResponses(byte[] wire, int[] cuts, HttpLimits limits, List<String> methods, boolean close) {
        final class Listener extends Checked implements HttpResponseParser.Listener {
            HttpResponseParser parser;

            @Override
            public void head(ResponseHead head) {
                at("HEAD " + head, parser.position());
            }

            @Override
            public void body(ByteBuffer bytes) {
                body(bytes.remaining(), parser.position());
            }

            @Override
            public void complete() {
                at("END", parser.position());
            }

            @Override
            public void tunnel(ResponseHead head) {
                at("TUNNEL " + head, parser.position());
            }
        }
        Listener l = new Listener();
        l.parser = new HttpResponseParser(limits, l);
        methods.forEach(l.parser::expect);
        int from = 0;
        try {
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : wire.length;
                l.fed += to - from;
                l.parser.feed(ByteBuffer.wrap(wire, from, to - from));
                from = to;
            }
            assertEquals(wire.length, l.parser.position(), "without a violation every byte is consumed");
            l.events.add("OUTSTANDING " + l.parser.outstanding());
            if (close) {
                l.parser.endOfStream();
                l.events.add("CLOSED");
            }
        } catch (HttpViolation v) {
            l.at("VIOLATION " + v.getMessage(), l.parser.position());
        }
        return l.events;
    }

    // ---- the session, both directions

    @FuzzTest(maxDuration = "5m")
    void session(byte[] input) {
        int mark = indexOf(input, SERVER_MARK);
        byte[] client = mark < 0 ? input : Arrays.copyOfRange(input, 0, mark);
        byte[] server = mark < 0 ? new byte[0] : Arrays.copyOfRange(input, mark + SERVER_MARK.length, input.length);
        for (HttpGatewayConfig config : CONFIGS) {
            // the client's bytes, then the server's: split any way, the same verdict after each direction
            List<String> whole = sequential(config, client, new int[0], server, new int[0]);
            List<int[]> clientCuts = cuts(client);
            List<int[]> serverCuts = cuts(server);
            for (int i = 0; i < Math.max(clientCuts.size(), serverCuts.size()); i++) {
                int[] c = clientCuts.get(i % clientCuts.size());
                int[] s = serverCuts.get(i % serverCuts.size());
                assertEquals(whole, sequential(config, client, c, server, s),
                        "client cut at " + Arrays.toString(c) + ", server at " + Arrays.toString(s));
            }
            interleaved(config, client, server, new Random(Arrays.hashCode(input)));
        }
    }

    /** One direction's offsets: what was fed, the highest approval. */
    static final class Side {
        final boolean client;
        long fed;
        long approved;

        Side(boolean client) {
            this.client = client;
        }

        /** Feeds {@code [from, to)} of {@code bytes} and checks the verdict: an approval within what was fed, never lower. */
        Verdict feed(GatewaySession s, byte[] bytes, int from, int to) {
            ByteBuffer b = ByteBuffer.wrap(bytes, from, to - from);
            Verdict v = client ? s.onClientBytes(fed, b) : s.onServerBytes(fed, b);
            fed += to - from;
            if (v instanceof Verdict.Approve a) {
                assertTrue(a.through() <= fed, "approved through " + a.through() + " of " + fed + " bytes fed");
                assertTrue(a.through() >= approved, "approval went back from " + approved + " to " + a.through());
                approved = a.through();
            }
            return v;
        }
    }

    static List<String> sequential(HttpGatewayConfig config, byte[] client, int[] clientCuts, byte[] server, int[] serverCuts) {
        GatewaySession s = new HttpGateway(config).open(flow());
        List<String> out = new ArrayList<>();
        Side c = new Side(true);
        Side v = new Side(false);
        out.add(HttpGatewayTest.render(drive(s, c, client, clientCuts)));
        out.add(HttpGatewayTest.render(drive(s, v, server, serverCuts)));
        return out;
    }

    /** Feeds {@code bytes} cut at {@code cuts}, then an empty call; the last verdict. */
    static Verdict drive(GatewaySession s, Side side, byte[] bytes, int[] cuts) {
        int from = 0;
        for (int cut : cuts) {
            side.feed(s, bytes, from, cut);
            from = cut;
        }
        side.feed(s, bytes, from, bytes.length);
        return side.feed(s, bytes, bytes.length, bytes.length);
    }

    /** Both directions in random turns: only the offsets are checked (the order changes what is valid). */
    static void interleaved(HttpGatewayConfig config, byte[] client, byte[] server, Random random) {
        GatewaySession s = new HttpGateway(config).open(flow());
        Side c = new Side(true);
        Side v = new Side(false);
        int ci = 0;
        int si = 0;
        Verdict last = null;
        while (ci < client.length || si < server.length) {
            boolean toClient = si >= server.length || (ci < client.length && random.nextBoolean());
            if (toClient) {
                int to = Math.min(client.length, ci + 1 + random.nextInt(16));
                last = c.feed(s, client, ci, to);
                ci = to;
            } else {
                int to = Math.min(server.length, si + 1 + random.nextInt(16));
                last = v.feed(s, server, si, to);
                si = to;
            }
            if (last instanceof Verdict.Deny || last instanceof Verdict.AllowFlow) {
                // settled: every later call, either way, gets the same answer
                assertEquals(HttpGatewayTest.render(last), HttpGatewayTest.render(c.feed(s, client, ci, ci)));
                assertEquals(HttpGatewayTest.render(last), HttpGatewayTest.render(v.feed(s, server, si, si)));
                return;
            }
        }
    }

    // ---- helpers

    /** Ways to cut {@code bytes}: byte by byte, and two sets of cuts drawn from the bytes themselves. */
    static List<int[]> cuts(byte[] bytes) {
        List<int[]> out = new ArrayList<>();
        int[] every = new int[Math.max(0, bytes.length - 1)];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        out.add(every);
        Random random = new Random(Arrays.hashCode(bytes));
        for (int k = 0; k < 2 && bytes.length > 1; k++) {
            int[] some = random.ints(1 + random.nextInt(Math.min(8, bytes.length - 1)), 1, bytes.length).distinct().sorted()
                    .toArray();
            out.add(some);
        }
        return out;
    }

    static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static FlowContext flow() {
        return new FlowContext(1, new InetSocketAddress("192.0.2.1", 40000), new InetSocketAddress("192.0.2.2", 80));
    }
}
