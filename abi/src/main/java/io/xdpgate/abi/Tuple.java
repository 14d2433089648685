package io.xdpgate.abi;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_tuple}: a flow's addresses and ports as seen on the wire (ports are the numbers,
 * network order on the wire). ICMP echo keeps the identifier in sport (request) or dport (reply).
 */
public record Tuple(IpAddr saddr, IpAddr daddr, int sport, int dport, int proto, int family) {
    public static final Layout LAYOUT = Layout.struct("xg_tuple")
            .bytes("saddr", Abi.XG_ADDR_LEN)
            .bytes("daddr", Abi.XG_ADDR_LEN)
            .be16("sport")
            .be16("dport")
            .u8("proto")
            .u8("family")
            .pad("pad", 2)
            .build();

    /** All zero: the NAT tuple of a connection that was not redirected. */
    public static final Tuple ZERO = new Tuple(IpAddr.ZERO, IpAddr.ZERO, 0, 0, 0, 0);

    public static final StructCodec<Tuple> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field saddr = LAYOUT.field("saddr");
        private final Layout.Field daddr = LAYOUT.field("daddr");
        private final Layout.Field sport = LAYOUT.field("sport");
        private final Layout.Field dport = LAYOUT.field("dport");
        private final Layout.Field proto = LAYOUT.field("proto");
        private final Layout.Field family = LAYOUT.field("family");

        @Override
        public Tuple read(ByteBuffer in, int base) {
            return new Tuple(IpAddr.of(saddr.getBytes(in, base)), IpAddr.of(daddr.getBytes(in, base)),
                    sport.getInt(in, base), dport.getInt(in, base), proto.getInt(in, base), family.getInt(in, base));
        }

        @Override
        protected void writeFields(Tuple t, ByteBuffer out, int base) {
            saddr.putBytes(out, base, t.saddr().bytes());
            daddr.putBytes(out, base, t.daddr().bytes());
            sport.put(out, base, t.sport());
            dport.put(out, base, t.dport());
            proto.put(out, base, t.proto());
            family.put(out, base, t.family());
        }
    };

    public Tuple {
        Objects.requireNonNull(saddr, "saddr");
        Objects.requireNonNull(daddr, "daddr");
        Checks.u16("sport", sport);
        Checks.u16("dport", dport);
        Checks.u8("proto", proto);
        Checks.u8("family", family);
    }

    /** A tuple between two addresses of one family; IPv4 addresses are stored mapped. */
    public static Tuple of(InetAddress src, int sport, InetAddress dst, int dport, int proto) {
        IpAddr s = IpAddr.of(src);
        IpAddr d = IpAddr.of(dst);
        if (s.family() != d.family()) {
            throw new IllegalArgumentException("mixed families: " + src + " -> " + dst);
        }
        return new Tuple(s, d, sport, dport, proto, s.family());
    }

    /** The tuple of the other direction. */
    public Tuple reversed() {
        return new Tuple(daddr, saddr, dport, sport, proto, family);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    /** {@code 198.18.1.2:40000 -> 198.18.2.2:80 tcp}; IPv6 addresses in brackets. */
    @Override
    public String toString() {
        return endpoint(saddr, sport) + " -> " + endpoint(daddr, dport) + " " + IpProto.name(proto);
    }

    private String endpoint(IpAddr addr, int port) {
        return (addr.isIpv4() ? addr.toString() : "[" + addr + "]") + ":" + port;
    }
}
