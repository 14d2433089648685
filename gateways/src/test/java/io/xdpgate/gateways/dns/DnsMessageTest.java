package io.xdpgate.gateways.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The DNS message parser: what it reads, and a table of the messages it refuses, each with its reason. */
class DnsMessageTest {
    private static DnsMessage parse(byte[] m) throws DnsFormatException {
        return DnsMessage.parse(ByteBuffer.wrap(m));
    }

    @Test
    void aQueryIsReadWithItsNameNormalized() throws DnsFormatException {
        DnsMessage q = parse(DnsWire.query(0x1234, "WwW.Example.COM", 28, true));
        assertEquals(0x1234, q.id());
        assertEquals("www.example.com", q.name());
        assertEquals(28, q.type());
        assertEquals(1, q.qclass());
        assertFalse(q.isResponse());
        assertTrue(q.edns());
        assertEquals(12 + 17 + 4, q.questionEnd());
    }

    @Test
    void aResponseWithACompressedAnswerIsRead() throws DnsFormatException {
        DnsMessage r = parse(DnsWire.answer(7, "example.com", 1));
        assertTrue(r.isResponse());
        assertEquals(1, r.answers());
        assertEquals("example.com", r.name());
    }

    @Test
    void everyCutOfAValidMessageIsRefusedNeverThrowsAnythingElse() {
        for (byte[] whole : new byte[][] {DnsWire.query(1, "a.example.com", 1, true), DnsWire.answer(2, "example.com", 1)}) {
            for (int cut = 0; cut < whole.length; cut++) {
                byte[] part = Arrays.copyOf(whole, cut);
                assertThrows(DnsFormatException.class, () -> parse(part), "cut at " + cut);
            }
        }
    }

    static Stream<Arguments> refused() {
        String sixtyFour = "a".repeat(64);
        StringBuilder longName = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            longName.append("b".repeat(60)).append('.');
        }
        return Stream.of(
                Arguments.of("no question", DnsWire.header(1, 0x100, 0, 0, 0, 0).bytes(), "question count 0, not 1"),
                Arguments.of("two questions", DnsWire.header(1, 0x100, 2, 0, 0, 0).name("a").u16(1).u16(1)
                        .name("b").u16(1).u16(1).bytes(), "question count 2, not 1"),
                Arguments.of("label over 63", DnsWire.query(1, sixtyFour + ".com", 1), "label length byte 64: a label is at most 63"),
                Arguments.of("name over 255", DnsWire.query(1, longName + "com", 1), "name longer than 255 bytes"),
                Arguments.of("forward pointer", DnsWire.header(1, 0x100, 1, 0, 0, 0).u8(0xc0).u8(20).u16(1).u16(1)
                        .name("a").bytes(), "does not point back"),
                Arguments.of("pointer to itself", DnsWire.header(1, 0x8180, 1, 1, 0, 0).name("a").u16(1).u16(1)
                        .u8(0xc0).u8(19).u16(1).u16(1).u32(0).u16(0).bytes(), "does not point back"),
                Arguments.of("pointer into the header", DnsWire.header(1, 0x8180, 1, 1, 0, 0).name("a").u16(1).u16(1)
                        .u8(0xc0).u8(2).u16(1).u16(1).u32(0).u16(0).bytes(), "does not point back"),
                Arguments.of("pointer in the question", DnsWire.header(1, 0x100, 1, 0, 0, 0).u8(0xc0).u8(0).u16(1).u16(1)
                        .bytes(), "does not point back"),
                Arguments.of("extended label type", DnsWire.header(1, 0x100, 1, 0, 0, 0).u8(0x41).u8(0).u16(1).u16(1)
                        .bytes(), "label types 0x40 and 0x80"),
                Arguments.of("a dot inside a label", DnsWire.header(1, 0x100, 1, 0, 0, 0).u8(7).raw("evil.co".getBytes())
                        .u8(0).u16(1).u16(1).bytes(), "a question label with a dot"),
                Arguments.of("a NUL inside a label", DnsWire.header(1, 0x100, 1, 0, 0, 0).u8(3).u8('a').u8(0).u8('b')
                        .u8(0).u16(1).u16(1).bytes(), "outside printable ASCII"),
                Arguments.of("announced answer missing", DnsWire.header(1, 0x8180, 1, 1, 0, 0).name("a").u16(1).u16(1)
                        .bytes(), "name cut short"),
                Arguments.of("record data past the end", DnsWire.header(1, 0x8180, 1, 1, 0, 0).name("a").u16(1).u16(1)
                        .u8(0xc0).u8(12).u16(1).u16(1).u32(0).u16(40).u32(1).bytes(), "runs past the message"),
                Arguments.of("bytes after the records", concat(DnsWire.query(1, "a.example", 1), new byte[] {0, 0}),
                        "2 bytes after the last"),
                Arguments.of("two OPT records", DnsWire.header(1, 0x100, 1, 0, 0, 2).name("a").u16(1).u16(1).opt().opt()
                        .bytes(), "more than one OPT record"),
                Arguments.of("OPT among the answers", DnsWire.header(1, 0x100, 1, 1, 0, 0).name("a").u16(1).u16(1).opt()
                        .bytes(), "outside the additional section"),
                Arguments.of("OPT not at the root", DnsWire.header(1, 0x100, 1, 0, 0, 1).name("a").u16(1).u16(1)
                        .name("x").u16(41).u16(512).u32(0).u16(0).bytes(), "name is not the root"),
                Arguments.of("short header", new byte[11], "shorter than a DNS header"),
                Arguments.of("counts beyond the length", DnsWire.header(1, 0x100, 1, 0, 0, 60000).name("a").u16(1).u16(1)
                        .bytes(), "name cut short"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void malformedMessagesAreRefusedWithTheirReason(String what, byte[] message, String reason) {
        DnsFormatException e = assertThrows(DnsFormatException.class, () -> parse(message));
        assertTrue(e.getMessage().contains(reason), what + ": " + e.getMessage());
    }

    /**
     * A name reached through {@code n} pointers: the answer's data holds {@code n - 1} pointers,
     * each to the one before, the first to the question's name; the additional record's owner
     * points at the last.
     */
    private static byte[] pointerChain(int n) {
        int chain = n - 1;
        DnsWire w = DnsWire.header(1, 0x8180, 1, 1, 0, 1).name("a").u16(1).u16(1)
                .name("").u16(1).u16(1).u32(0).u16(2 * chain);
        int data = 12 + 3 + 4 + 1 + 10;
        w.u8(0xc0).u8(12);
        for (int i = 1; i < chain; i++) {
            int target = data + 2 * (i - 1);
            w.u8(0xc0 | target >>> 8).u8(target & 0xff);
        }
        int last = data + 2 * (chain - 1);
        return w.u8(0xc0 | last >>> 8).u8(last & 0xff).u16(1).u16(1).u32(0).u16(0).bytes();
    }

    @Test
    void aNameMayFollowAtMost126Pointers() throws DnsFormatException {
        assertEquals(1, parse(pointerChain(126)).answers());
        DnsFormatException e = assertThrows(DnsFormatException.class, () -> parse(pointerChain(127)));
        assertEquals("more than 126 compression pointers in one name", e.getMessage());
    }
}
