package io.xdpgate.gateways.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The TLS gateway: the server name read however the ClientHello is cut, judged, and what is refused. */
class TlsGatewayTest {
    private static final FlowContext FLOW = new FlowContext(1, new InetSocketAddress("198.18.1.2", 40000),
            new InetSocketAddress("198.18.2.2", 443));
    private static final Map<String, Object> LAB = Map.of("allowNames", List.of("www.lab.example", "*.lab.example"),
            "denyNames", List.of("secret.lab.example"));

    private static GatewaySession session(Map<String, Object> config) {
        return new TlsGatewayFactory().create(config).open(FLOW);
    }

    /** The last verdict after feeding {@code bytes} in two pieces cut at {@code cut}. */
    private static Verdict feed(Map<String, Object> config, byte[] bytes, int cut) {
        GatewaySession s = session(config);
        Verdict v = s.onClientBytes(0, ByteBuffer.wrap(bytes, 0, cut).slice());
        if (!(v instanceof Verdict.Approve a) || cut == bytes.length) {
            return v;
        }
        assertEquals(0, a.through(), "nothing passes before the verdict");
        return s.onClientBytes(cut, ByteBuffer.wrap(bytes, cut, bytes.length - cut).slice());
    }

    @Test
    void anAllowedNamePassesTheWholeFlowAtEveryCutAndEveryRecordSize() {
        byte[] hello = Hellos.hello(Hellos.extension(10, new byte[] {0, 2, 0, 29}), Hellos.sni("WWW.lab.example"));
        for (int size = 1; size <= hello.length; size += size < 8 ? 1 : 13) {
            byte[] stream = Hellos.records(hello, size);
            for (int cut = 1; cut <= stream.length; cut++) {
                assertInstanceOf(Verdict.AllowFlow.class, feed(LAB, stream, cut), "records of " + size + ", cut " + cut);
            }
        }
    }

    @Test
    void aDeniedNameIsRefusedAtEveryCutWithAnAlert() {
        byte[] stream = Hellos.records(Hellos.hello(Hellos.sni("secret.lab.example")), 40);
        for (int cut = 1; cut <= stream.length; cut++) {
            Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, feed(LAB, stream, cut), "cut " + cut);
            assertTrue(d.reason().contains("matches denied secret.lab.example"), d.reason());
            assertArrayEquals(new byte[] {21, 3, 3, 0, 2, 2, 49}, d.refusal(), "fatal access_denied");
        }
    }

    static Stream<Arguments> refused() {
        byte[] good = Hellos.hello(Hellos.sni("www.lab.example"));
        return Stream.of(
                Arguments.of("not on the list", LAB, Hellos.records(Hellos.hello(Hellos.sni("example.com"))),
                        "not in the allowed names"),
                Arguments.of("two labels below", LAB, Hellos.records(Hellos.hello(Hellos.sni("a.b.lab.example"))),
                        "not in the allowed names"),
                Arguments.of("no SNI", LAB, Hellos.records(Hellos.hello()), "no server name"),
                Arguments.of("ECH", Map.of(), Hellos.records(Hellos.hello(Hellos.sni("www.lab.example"),
                        Hellos.extension(0xfe0d, new byte[8]))), "Encrypted Client Hello"),
                Arguments.of("two host names", Map.of(), Hellos.records(Hellos.hello(Hellos.sni("a.example", "b.example"))),
                        "two host names"),
                Arguments.of("SNI twice", Map.of(), Hellos.records(Hellos.hello(Hellos.sni("a.example"), Hellos.sni("b.example"))),
                        "extension 0 twice"),
                Arguments.of("NUL in the name", Map.of(), Hellos.records(Hellos.hello(Hellos.sni("evil.example\0.lab.example"))),
                        "server name byte 0x0"),
                Arguments.of("trailing dot", Map.of(), Hellos.records(Hellos.hello(Hellos.sni("www.lab.example."))),
                        "trailing dot"),
                Arguments.of("not TLS", Map.of(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(), "record type 71"),
                Arguments.of("alert first", Map.of(), new byte[] {21, 3, 3, 0, 2, 1, 0}, "record type 21"),
                Arguments.of("server hello first", Map.of(), Hellos.records(new byte[] {2, 0, 0, 0}), "message type 2"),
                Arguments.of("empty record", Map.of(), new byte[] {22, 3, 1, 0, 0}, "handshake record of 0 bytes"),
                Arguments.of("oversized", Map.of("maxHello", 512), Hellos.records(Hellos.hello(Hellos.sni("a.example"),
                        Hellos.extension(21, new byte[600]))), "at most 512"),
                Arguments.of("extensions past the end", Map.of(), Hellos.records(cutExtensions(good)), "extensions length"));
    }

    /** The hello with its extensions length one more than what follows. */
    private static byte[] cutExtensions(byte[] hello) {
        byte[] h = hello.clone();
        int at = 4 + 2 + 32 + 1 + 2 + 4 + 2;
        ByteBuffer.wrap(h).putShort(at, (short) ((ByteBuffer.wrap(h).getShort(at) & 0xffff) + 1));
        return h;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedHellos(String what, Map<String, Object> config, byte[] stream, String reason) {
        Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, feed(config, stream, stream.length), what);
        assertTrue(d.reason().contains(reason), what + ": " + d.reason());
    }

    @Test
    void configChoicesLetMissingSniAndEchThroughAndResetInsteadOfAlerting() {
        Map<String, Object> open = Map.of("allowMissingSni", true, "allowEch", true, "onDeny", "reset",
                "denyNames", List.of("bad.example"));
        assertInstanceOf(Verdict.AllowFlow.class, feed(open, Hellos.records(Hellos.hello()), 3));
        assertInstanceOf(Verdict.AllowFlow.class, feed(open, Hellos.records(Hellos.hello(Hellos.sni("outer.example"),
                Hellos.extension(0xfe0d, new byte[8]))), 3));
        Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, feed(open, Hellos.records(Hellos.hello(Hellos.sni("bad.example"))), 9));
        assertEquals(0, d.refusal().length);
    }

    @Test
    void aDripOfTinyRecordsIsBounded() {
        byte[] stream = Hellos.records(Hellos.hello(Hellos.extension(21, new byte[2000]), Hellos.sni("a.example")), 1);
        Verdict v = feed(Map.of("maxHello", 1024), stream, stream.length);
        assertInstanceOf(Verdict.Deny.class, v);
    }

    @Test
    void configProblemsAreReportedWithTheirPaths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsGatewayConfig.fromMap(Map.of(
                "allowNames", List.of("ok.example", "bad name"), "maxHello", 100, "onDeny", "403", "sni", true)));
        for (String part : List.of("config.allowNames[1]", "config.maxHello: must be an integer from 512 to 65536",
                "config.onDeny: must be \"alert\" or \"reset\"", "config.sni: unknown key")) {
            assertTrue(e.getMessage().contains(part), part + " in " + e.getMessage());
        }
    }
}
