package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_addr_key}: pol_src / pol_dst LPM key. prefixlen counts the 8 generation bits
 * before the address, so a wildcard is 8 and an IPv4 /24 is 8 + 96 + 24.
 */
public record AddrKey(int prefixlen, int gen, IpAddr addr) {
    public static final Layout LAYOUT = Layout.struct("xg_addr_key")
            .u32("prefixlen")
            .u8("gen")
            .bytes("addr", Abi.XG_ADDR_LEN)
            .pad("pad", 3)
            .build();

    public static final StructCodec<AddrKey> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field prefixlen = LAYOUT.field("prefixlen");
        private final Layout.Field gen = LAYOUT.field("gen");
        private final Layout.Field addr = LAYOUT.field("addr");

        @Override
        public AddrKey read(ByteBuffer in, int base) {
            return new AddrKey(prefixlen.getInt(in, base), gen.getInt(in, base), IpAddr.of(addr.getBytes(in, base)));
        }

        @Override
        protected void writeFields(AddrKey k, ByteBuffer out, int base) {
            prefixlen.put(out, base, k.prefixlen());
            gen.put(out, base, k.gen());
            addr.putBytes(out, base, k.addr().bytes());
        }
    };

    public AddrKey {
        Objects.requireNonNull(addr, "addr");
        Checks.u8("gen", gen);
    }
}
