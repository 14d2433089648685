package io.xdpgate.gateways.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.gateways.spi.DatagramSession;
import io.xdpgate.gateways.spi.DatagramVerdict;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DNS gateway's sessions over UDP and TCP: what passes, what is refused and how, and responses tied to queries. */
class DnsGatewayTest {
    private static final FlowContext FLOW = new FlowContext(1, new InetSocketAddress("198.18.1.2", 40000),
            new InetSocketAddress("198.18.2.2", 53));
    private static final Map<String, Object> LAB = Map.of(
            "allowNames", List.of("**.lab.example", "lab.example"),
            "denyNames", List.of("*.blocked.lab.example"),
            "allowTypes", List.of("A", "AAAA", "TXT", "MX"));

    private static DatagramSession udp(Map<String, Object> config) {
        return new DnsGatewayFactory().create(config).openDatagrams(FLOW);
    }

    private static GatewaySession tcp(Map<String, Object> config) {
        return new DnsGatewayFactory().create(config).open(FLOW);
    }

    private static DatagramVerdict ask(DatagramSession s, byte[] query) {
        return s.onClientDatagram(ByteBuffer.wrap(query));
    }

    @Test
    void allowedQueriesPassAndTheirResponsesComeBackOnce() {
        DatagramSession s = udp(LAB);
        assertEquals(DatagramVerdict.FORWARD, ask(s, DnsWire.query(5, "www.lab.example", 1)));
        assertEquals(DatagramVerdict.FORWARD, ask(s, DnsWire.query(6, "lab.example", 28, true)));
        assertEquals(DatagramVerdict.FORWARD, s.onServerDatagram(ByteBuffer.wrap(DnsWire.answer(5, "WWW.lab.example", 1))),
                "0x20 case randomization: names compare without case");
        DatagramVerdict again = s.onServerDatagram(ByteBuffer.wrap(DnsWire.answer(5, "www.lab.example", 1)));
        assertTrue(again instanceof DatagramVerdict.Drop d && d.reason().contains("no outstanding query"), again.toString());
    }

    @Test
    void responsesThatAnswerNothingAskedAreDropped() {
        DatagramSession s = udp(LAB);
        ask(s, DnsWire.query(5, "www.lab.example", 1));
        for (byte[] spoof : List.of(DnsWire.answer(6, "www.lab.example", 1), DnsWire.answer(5, "evil.example", 1),
                DnsWire.answer(5, "www.lab.example", 28), DnsWire.query(5, "www.lab.example", 1))) {
            assertInstanceOf(DatagramVerdict.Drop.class, s.onServerDatagram(ByteBuffer.wrap(spoof)));
        }
        assertEquals(DatagramVerdict.FORWARD, s.onServerDatagram(ByteBuffer.wrap(DnsWire.answer(5, "www.lab.example", 1))),
                "the real answer still passes after the spoofs");
    }

    @Test
    void aDeniedQueryIsAnsweredRefusedWithItsIdAndQuestion() {
        DatagramSession s = udp(LAB);
        byte[] q = DnsWire.query(0xbeef, "x.blocked.lab.example", 1, true);
        DatagramVerdict v = ask(s, q);
        DatagramVerdict.Reply r = assertInstanceOf(DatagramVerdict.Reply.class, v);
        assertTrue(r.reason().contains("matches denied *.blocked.lab.example"), r.reason());
        byte[] a = r.payload();
        assertEquals(0xbeef, ByteBuffer.wrap(a).getShort(0) & 0xffff);
        assertEquals(0x8105, ByteBuffer.wrap(a).getShort(2) & 0xffff, "QR, RD kept, REFUSED");
        assertArrayEquals(Arrays.copyOfRange(q, 12, q.length - 11), Arrays.copyOfRange(a, 12, a.length),
                "the question as asked, no OPT echoed");
        assertEquals(1, ByteBuffer.wrap(a).getShort(4));
        assertEquals(0, ByteBuffer.wrap(a).getShort(10));
    }

    @Test
    void theDenyModeChoosesTheAnswer() {
        Map<String, Object> nx = Map.of("denyNames", List.of("bad.example"), "onDeny", "nxdomain");
        byte[] a = assertInstanceOf(DatagramVerdict.Reply.class, ask(udp(nx), DnsWire.query(1, "bad.example", 1))).payload();
        assertEquals(3, a[3] & 0xf);
        Map<String, Object> drop = Map.of("denyNames", List.of("bad.example"), "onDeny", "drop");
        assertInstanceOf(DatagramVerdict.Drop.class, ask(udp(drop), DnsWire.query(1, "bad.example", 1)));
    }

    @Test
    void namesTypesClassesAndOpcodesOutsideThePolicyAreRefused() {
        DatagramSession s = udp(LAB);
        assertTrue(reason(ask(s, DnsWire.query(1, "example.com", 1))).contains("not in the allowed names"));
        assertTrue(reason(ask(s, DnsWire.query(1, "www.lab.example", 255))).contains("type ANY is not allowed"));
        byte[] chaos = DnsWire.header(1, 0x100, 1, 0, 0, 0).name("lab.example").u16(16).u16(3).bytes();
        assertTrue(reason(ask(s, chaos)).contains("class 3"));
        byte[] update = DnsWire.header(1, 5 << 11, 1, 0, 0, 0).name("lab.example").u16(6).u16(1).bytes();
        assertTrue(reason(ask(s, update)).contains("opcode 5"));
        assertTrue(reason(ask(s, DnsWire.answer(1, "lab.example", 1))).contains("a response from the client"));
        assertTrue(reason(ask(s, new byte[5])).startsWith("malformed query: shorter than a DNS header"));
    }

    private static String reason(DatagramVerdict v) {
        return v instanceof DatagramVerdict.Reply r ? r.reason() : ((DatagramVerdict.Drop) v).reason();
    }

    @Test
    void outstandingQueriesAreBounded() {
        DatagramSession s = udp(Map.of("maxOutstanding", 2));
        for (int id = 1; id <= 3; id++) {
            ask(s, DnsWire.query(id, "a.example", 1));
        }
        assertInstanceOf(DatagramVerdict.Drop.class, s.onServerDatagram(ByteBuffer.wrap(DnsWire.answer(1, "a.example", 1))),
                "the oldest was pushed out");
        assertEquals(DatagramVerdict.FORWARD, s.onServerDatagram(ByteBuffer.wrap(DnsWire.answer(3, "a.example", 1))));
    }

    // ---- TCP

    private static byte[] framed(byte[]... messages) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(messages).mapToInt(m -> m.length + 2).sum());
        for (byte[] m : messages) {
            b.putShort((short) m.length).put(m);
        }
        return b.array();
    }

    /** Feeds {@code bytes} to the client side cut at {@code cuts}; the verdicts in order. */
    private static List<Verdict> feed(GatewaySession s, boolean client, byte[] bytes, int... cuts) {
        List<Verdict> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            ByteBuffer chunk = ByteBuffer.wrap(bytes, from, to - from).slice();
            out.add(client ? s.onClientBytes(from, chunk) : s.onServerBytes(from, chunk));
            from = to;
        }
        return out;
    }

    @Test
    void overTcpEachWholeMessageIsApprovedWithItsPrefixAtEveryCut() {
        byte[] queries = framed(DnsWire.query(1, "a.lab.example", 1), DnsWire.query(2, "b.lab.example", 28, true));
        byte[] answers = framed(DnsWire.answer(2, "b.lab.example", 28), DnsWire.answer(1, "a.lab.example", 1));
        int firstEnd = 2 + DnsWire.query(1, "a.lab.example", 1).length;
        for (int cut = 0; cut <= queries.length; cut++) {
            GatewaySession s = tcp(LAB);
            List<Verdict> v = feed(s, true, queries, cut);
            long expectFirst = cut >= queries.length ? queries.length : cut >= firstEnd ? firstEnd : 0;
            assertEquals(Verdict.approve(expectFirst), v.get(0), "cut " + cut);
            assertEquals(Verdict.approve(queries.length), v.get(1), "cut " + cut);
            for (int scut = 0; scut <= answers.length; scut += 7) {
                GatewaySession again = tcp(LAB);
                feed(again, true, queries);
                List<Verdict> sv = feed(again, false, answers, scut);
                assertEquals(Verdict.approve(answers.length), sv.get(sv.size() - 1), "cut " + cut + "/" + scut);
            }
        }
    }

    @Test
    void overTcpADeniedQueryEndsTheConnectionWithAFramedRefusal() {
        byte[] allowed = DnsWire.query(1, "a.lab.example", 1);
        byte[] denied = DnsWire.query(2, "x.blocked.lab.example", 1);
        for (int cut = 0; cut <= allowed.length + denied.length + 4; cut++) {
            List<Verdict> v = feed(tcp(LAB), true, framed(allowed, denied), cut);
            Verdict last = v.get(v.size() - 1);
            Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, last, "cut " + cut);
            byte[] refusal = d.refusal();
            assertEquals(refusal.length - 2, ByteBuffer.wrap(refusal).getShort(0));
            assertEquals(5, refusal[5] & 0xf, "REFUSED");
            assertTrue(v.stream().filter(x -> x instanceof Verdict.Approve).allMatch(
                    x -> ((Verdict.Approve) x).through() <= 2 + allowed.length), "nothing of the denied query approved");
        }
    }

    @Test
    void overTcpAnUnaskedResponseEndsTheConnection() {
        GatewaySession s = tcp(LAB);
        feed(s, true, framed(DnsWire.query(1, "a.lab.example", 1)));
        Verdict v = feed(s, false, framed(DnsWire.answer(9, "a.lab.example", 1))).get(0);
        assertTrue(v instanceof Verdict.Deny d && d.reason().contains("no outstanding query"), v.toString());
    }

    @Test
    void configProblemsAreAllReportedWithTheirPaths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DnsGatewayConfig.fromMap(Map.of(
                "allowNames", List.of("ok.example", "bad..example"), "allowTypes", List.of("A", "BOGUS"),
                "onDeny", "servfail", "maxOutstanding", 0, "colour", "blue")));
        for (String part : List.of("config.allowNames[1]: must be a name", "config.allowTypes[1]: must be a query type",
                "config.onDeny: must be one of \"drop\", \"nxdomain\", \"refused\", got \"servfail\"",
                "config.maxOutstanding: must be an integer from 1 to 1024, got 0", "config.colour: unknown key")) {
            assertTrue(e.getMessage().contains(part), part + " in " + e.getMessage());
        }
        assertEquals(DnsGatewayConfig.DEFAULTS, DnsGatewayConfig.fromMap(Map.of()));
    }
}
