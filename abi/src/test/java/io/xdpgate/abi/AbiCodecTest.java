package io.xdpgate.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Every mirror survives encode/decode, and fields land where and how C expects them. */
class AbiCodecTest {
    private static final Tuple TUPLE = Tuple.of(addr("198.18.1.2"), 40000, addr("198.18.2.2"), 80, IpProto.TCP);
    private static final Tuple NAT = Tuple.of(addr("198.18.1.2"), 40000, addr("198.18.9.1"), 20001, IpProto.TCP);
    private static final MacAddr MAC_A = MacAddr.parse("02:00:00:00:00:0a");
    private static final MacAddr MAC_B = MacAddr.parse("02:00:00:00:00:0b");

    @Test
    void tupleBytes() {
        byte[] b = roundTrip(Tuple.CODEC, TUPLE);
        assertArrayEquals(IpAddr.of(addr("198.18.1.2")).bytes(), Arrays.copyOfRange(b, 0, 16));
        assertArrayEquals(new byte[] {(byte) 0x9c, 0x40, 0x00, 0x50}, Arrays.copyOfRange(b, 32, 36), "ports big-endian");
        assertEquals(6, b[36]);
        assertEquals(Abi.XG_FAMILY_IPV4, b[37]);
        assertArrayEquals(new byte[2], Arrays.copyOfRange(b, 38, 40));
    }

    @Test
    void connBytes() {
        Conn conn = new Conn(0x0001_0000_0000_0007L, 11, 12, 13, 14, 15, 16, NAT, Conn.DEFAULT_RULE_ID, 3,
                Action.REDIRECT, TcpState.ESTABLISHED, Abi.XG_CONN_F_SNAT, Role.INTERNAL, 7,
                new TcpWindow(0x1000, 0x2000, 65535, 7), new TcpWindow(0x3000, 0x4000, 1 << 20, Abi.XG_WSCALE_NONE), 3);
        byte[] b = roundTrip(Conn.CODEC, conn);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0001_0000_0000_0007L, le.getLong(0));
        assertEquals(14, le.getLong(32), "packets[XG_DIR_REPLY]");
        assertEquals(15, le.getLong(40), "bytes[XG_DIR_ORIG]");
        assertEquals(NAT, Tuple.CODEC.fromBytes(Arrays.copyOfRange(b, 56, 96)));
        assertEquals(-1, le.getInt(96));
        assertEquals(3, le.getShort(100));
        assertEquals(Action.REDIRECT.value(), b[102]);
        assertEquals(TcpState.ESTABLISHED.value(), b[103]);
        assertEquals(Abi.XG_CONN_F_SNAT, b[104]);
        assertEquals(Role.INTERNAL.value(), b[105]);
        assertEquals(7, b[106], "tcp_wscale[XG_DIR_ORIG]");
        assertEquals((byte) Abi.XG_WSCALE_NONE, b[107], "tcp_wscale[XG_DIR_REPLY]");
        assertEquals(7, le.getInt(108), "in_ifindex");
        assertEquals(0x1000, le.getInt(112), "tcp_next[XG_DIR_ORIG]");
        assertEquals(0x3000, le.getInt(116), "tcp_next[XG_DIR_REPLY]");
        assertEquals(0x2000, le.getInt(120), "tcp_ack[XG_DIR_ORIG]");
        assertEquals(0x4000, le.getInt(124), "tcp_ack[XG_DIR_REPLY]");
        assertEquals(65535, le.getInt(128), "tcp_win[XG_DIR_ORIG]");
        assertEquals(1 << 20, le.getInt(132), "tcp_win[XG_DIR_REPLY]");
        assertEquals(3, b[136], "gw_inst");
    }

    @Test
    void expectKeyBytes() {
        ExpectKey key = ExpectKey.of(addr("198.18.2.2"), addr("198.18.1.2"), 40021, IpProto.TCP);
        byte[] b = roundTrip(ExpectKey.CODEC, key);
        assertEquals(36, b.length);
        assertArrayEquals(IpAddr.of(addr("198.18.2.2")).bytes(), Arrays.copyOfRange(b, 0, 16), "who will connect");
        assertArrayEquals(IpAddr.of(addr("198.18.1.2")).bytes(), Arrays.copyOfRange(b, 16, 32));
        assertArrayEquals(new byte[] {(byte) 0x9c, 0x55, 6, Abi.XG_FAMILY_IPV4}, Arrays.copyOfRange(b, 32, 36),
                "port big-endian, protocol, family");
        assertEquals(key, ExpectKey.of(Tuple.of(addr("198.18.2.2"), 20, addr("198.18.1.2"), 40021, IpProto.TCP)),
                "a flow's tuple but for its source port");
    }

    @Test
    void expectBytes() {
        Expect e = Expect.redirect(0x0102_0304_0506_0708L, 0x0001_0000_0000_0007L, 20, 3);
        byte[] b = roundTrip(Expect.CODEC, e);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0102_0304_0506_0708L, le.getLong(0));
        assertEquals(0x0001_0000_0000_0007L, le.getLong(8), "parent_id");
        assertEquals(20, le.getInt(16));
        assertEquals(3, le.getShort(20), "gw_id");
        assertEquals(Action.REDIRECT.value(), b[22]);
        assertEquals(0, b[23]);
        assertEquals(24, b.length);
        assertTrue(Expect.pass(100, 1, 2).isExpired(101));
        assertFalse(Expect.pass(100, 1, 2).isExpired(100), "expired only past its time");
    }

    @Test
    void natKeyBytes() {
        byte[] b = roundTrip(NatKey.CODEC, new NatKey(0x0102, 20001, 30002, IpProto.UDP));
        assertArrayEquals(new byte[] {0x02, 0x01, 0x4e, 0x21, 0x75, 0x32, 17, 0}, b);
    }

    @Test
    void gatewayBytes() {
        Gateway gw = new Gateway(IpAddr.of(addr("2001:db8::1")), IpAddr.ZERO, IpAddr.of(addr("198.18.9.1")).ipv4Bits(), 0,
                20000, 1000, 0, 0, 42, MAC_A, MAC_B, Abi.XG_GW_F_ACTIVE | Abi.XG_GW_F_FAIL_OPEN);
        byte[] b = roundTrip(Gateway.CODEC, gw);
        assertArrayEquals(new byte[] {(byte) 198, 18, 9, 1}, Arrays.copyOfRange(b, 32, 36), "addr4 network order");
        assertArrayEquals(new byte[] {0x20, 0x4e, (byte) 0xe8, 0x03}, Arrays.copyOfRange(b, 40, 44), "pool host order");
        assertEquals(42, b[48]);
        assertArrayEquals(MAC_A.bytes(), Arrays.copyOfRange(b, 52, 58));
        assertArrayEquals(MAC_B.bytes(), Arrays.copyOfRange(b, 58, 64));
        assertEquals(3, b[64]);
    }

    @Test
    void ifaceBytes() {
        byte[] b = roundTrip(Iface.CODEC, new Iface(Role.GATEWAY, 7, MAC_A));
        assertArrayEquals(new byte[] {2, 0, 7, 0, 2, 0, 0, 0, 0, 0x0a, 0, 0}, b);
        byte[] atXdp = roundTrip(Iface.CODEC, new Iface(Role.EXTERNAL, 0, 0, MAC_A, Abi.XG_IFACE_F_XDP));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 2, 0, 0, 0, 0, 0x0a, 1, 0}, atXdp);
    }

    @Test
    void bitmapBytes() {
        BitSet rules = new BitSet();
        rules.set(0);
        rules.set(64 * 3 + 5);
        Bitmap bitmap = Bitmap.of(rules);
        byte[] b = roundTrip(Bitmap.CODEC, bitmap);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, le.getShort(0));
        assertEquals(3, le.getShort(2));
        assertEquals(1L, le.getLong(8));
        assertEquals(1L << 5, le.getLong(8 + 3 * 8));
    }

    @Test
    void policyKeysAndSlots() {
        byte[] ak = roundTrip(AddrKey.CODEC, new AddrKey(8 + 96 + 24, 1, IpAddr.of(addr("198.18.1.0"))));
        assertArrayEquals(new byte[] {(byte) 128, 0, 0, 0, 1}, Arrays.copyOfRange(ak, 0, 5));
        assertArrayEquals(IpAddr.of(addr("198.18.1.0")).bytes(), Arrays.copyOfRange(ak, 5, 21));

        byte[] pk = roundTrip(PortKey.CODEC, new PortKey(32, 1, IpProto.TCP, 443));
        assertArrayEquals(new byte[] {32, 0, 0, 0, 1, 6, 0x01, (byte) 0xbb}, pk);

        byte[] rule = roundTrip(RuleSlot.CODEC, new RuleSlot(77, Action.REDIRECT, 5));
        assertArrayEquals(new byte[] {77, 0, 0, 0, 2, 0, 5, 0}, rule);
        byte[] paired = roundTrip(RuleSlot.CODEC, new RuleSlot(78, Action.PASS, 0, -1));
        assertArrayEquals(new byte[] {78, 0, 0, 0, 1, (byte) 0xff, 0, 0}, paired, "the offset as a signed byte");
        assertEquals(1, roundTrip(RuleSlot.CODEC, new RuleSlot(79, Action.PASS, 0, 1))[5]);

        byte[] meta = roundTrip(PolicyMeta.CODEC, new PolicyMeta(3, Action.PASS, Abi.XG_POL_WILD_DST));
        assertArrayEquals(new byte[] {3, 0, 0, 0, 1, 2, 0, 0}, meta);
    }

    @Test
    void eventBytesAndReason() {
        Event drop = new Event(1, 2, TUPLE, Tuple.ZERO, 9, 0, EventType.DROP, Stat.DROP_POLICY);
        byte[] b = roundTrip(Event.CODEC, drop);
        assertEquals(EventType.DROP.value(), b[102]);
        assertEquals(Stat.DROP_POLICY.ordinal(), b[103]);

        Event created = new Event(1, 2, TUPLE, Tuple.ZERO, 9, 0, EventType.NEW, null);
        assertEquals(0, roundTrip(Event.CODEC, created)[103]);
        assertNull(Event.CODEC.fromBytes(Event.CODEC.toBytes(created)).reason());
    }

    @Test
    void metaBytesEndWithTheMagic() {
        Meta meta = Meta.of(99, IpAddr.of(addr("198.18.2.2")), 80, Abi.XG_DIR_REPLY, Abi.XG_META_F_SNAT);
        byte[] b = roundTrip(Meta.CODEC, meta);
        assertArrayEquals(new byte[] {0x00, 0x50, 1, 1}, Arrays.copyOfRange(b, 24, 28));
        assertArrayEquals("1MGX".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(b, 28, 32),
                "XG_META_MAGIC in host order");
        assertTrue(Meta.CODEC.fromBytes(b).isValid());
    }

    @Test
    void statsAreOneCounterPerStat() {
        long[] counts = new long[Stat.COUNT];
        counts[Stat.DROP_META.ordinal()] = 5;
        byte[] b = roundTrip(Stats.CODEC, new Stats(counts));
        assertEquals(5, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(8 * Stat.DROP_META.ordinal()));
        assertEquals(5, Stats.CODEC.fromBytes(b).get(Stat.DROP_META));
    }

    @Test
    void encodingClearsPaddingOfAReusedBuffer() {
        ByteBuffer dirty = ByteBuffer.allocate(Tuple.CODEC.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.fill(dirty.array(), (byte) 0x5a);
        dirty.position(2);
        Tuple.CODEC.encode(TUPLE, dirty);
        assertEquals(2 + Tuple.CODEC.size(), dirty.position());
        assertArrayEquals(Tuple.CODEC.toBytes(TUPLE), Arrays.copyOfRange(dirty.array(), 2, 2 + Tuple.CODEC.size()));
        assertEquals(0x5a, dirty.get(0));
        assertEquals(0x5a, dirty.get(2 + Tuple.CODEC.size()));
    }

    /** Encodes through a little- and a big-endian buffer (bytes must not differ), decodes, compares. */
    private static <T> byte[] roundTrip(Codec<T> codec, T value) {
        byte[] little = codec.toBytes(value);
        ByteBuffer big = ByteBuffer.allocate(codec.size()).order(ByteOrder.BIG_ENDIAN);
        codec.encode(value, big);
        assertArrayEquals(little, big.array(), "bytes independent of the buffer's order");
        assertEquals(codec.size(), little.length);
        assertEquals(value, codec.fromBytes(little));
        big.flip();
        assertEquals(value, codec.decode(big));
        return little;
    }

    static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
