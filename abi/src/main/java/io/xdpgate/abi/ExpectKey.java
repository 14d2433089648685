package io.xdpgate.abi;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_expect_key}: the expects key, a connection an application gateway announced
 * (an FTP data channel), exact but for its source port, which the connecting side picks.
 * Addresses are stored as in {@link Tuple} (IPv4 mapped); {@code dport} is the number.
 */
public record ExpectKey(IpAddr saddr, IpAddr daddr, int dport, int proto, int family) {
    public static final Layout LAYOUT = Layout.struct("xg_expect_key")
            .bytes("saddr", Abi.XG_ADDR_LEN)
            .bytes("daddr", Abi.XG_ADDR_LEN)
            .be16("dport")
            .u8("proto")
            .u8("family")
            .build();

    public static final StructCodec<ExpectKey> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field saddr = LAYOUT.field("saddr");
        private final Layout.Field daddr = LAYOUT.field("daddr");
        private final Layout.Field dport = LAYOUT.field("dport");
        private final Layout.Field proto = LAYOUT.field("proto");
        private final Layout.Field family = LAYOUT.field("family");

        @Override
        public ExpectKey read(ByteBuffer in, int base) {
            return new ExpectKey(IpAddr.of(saddr.getBytes(in, base)), IpAddr.of(daddr.getBytes(in, base)),
                    dport.getInt(in, base), proto.getInt(in, base), family.getInt(in, base));
        }

        @Override
        protected void writeFields(ExpectKey k, ByteBuffer out, int base) {
            saddr.putBytes(out, base, k.saddr().bytes());
            daddr.putBytes(out, base, k.daddr().bytes());
            dport.put(out, base, k.dport());
            proto.put(out, base, k.proto());
            family.put(out, base, k.family());
        }
    };

    public ExpectKey {
        Objects.requireNonNull(saddr, "saddr");
        Objects.requireNonNull(daddr, "daddr");
        Checks.u16("dport", dport);
        Checks.u8("proto", proto);
        Checks.u8("family", family);
    }

    /** The connection {@code src} will open to {@code dst:dport}, from any port; one family for both. */
    public static ExpectKey of(InetAddress src, InetAddress dst, int dport, int proto) {
        IpAddr s = IpAddr.of(src);
        IpAddr d = IpAddr.of(dst);
        if (s.family() != d.family()) {
            throw new IllegalArgumentException("mixed families: " + src + " -> " + dst);
        }
        return new ExpectKey(s, d, dport, proto, s.family());
    }

    /** The expectation a flow's first packet, with this tuple, would claim. */
    public static ExpectKey of(Tuple t) {
        return new ExpectKey(t.saddr(), t.daddr(), t.dport(), t.proto(), t.family());
    }

    /** {@code 198.18.1.2:* -> 198.18.2.2:20 tcp}; IPv6 addresses in brackets. */
    @Override
    public String toString() {
        return endpoint(saddr, "*") + " -> " + endpoint(daddr, Integer.toString(dport)) + " " + IpProto.name(proto);
    }

    private static String endpoint(IpAddr addr, String port) {
        return (addr.isIpv4() ? addr.toString() : "[" + addr + "]") + ":" + port;
    }
}
