package io.xdpgate.abi;

import java.nio.ByteBuffer;

/**
 * {@code struct xg_src_count}: the src_counts value, what one source address holds.
 *
 * @param conns     connection entries whose original direction it sent
 * @param redirects of those, the ones redirected to a gateway (each holds a pool port)
 */
public record SrcCount(int conns, int redirects) {
    public static final Layout LAYOUT = Layout.struct("xg_src_count")
            .u32("conns")
            .u32("redirects")
            .build();

    /** {@code struct xg_src_key}: the src_counts key, a source address. */
    public static final Layout KEY_LAYOUT = Layout.struct("xg_src_key")
            .bytes("addr", Abi.XG_ADDR_LEN)
            .build();

    public static final StructCodec<SrcCount> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field conns = LAYOUT.field("conns");
        private final Layout.Field redirects = LAYOUT.field("redirects");

        @Override
        public SrcCount read(ByteBuffer in, int base) {
            return new SrcCount(conns.getInt(in, base), redirects.getInt(in, base));
        }

        @Override
        protected void writeFields(SrcCount c, ByteBuffer out, int base) {
            conns.put(out, base, c.conns());
            redirects.put(out, base, c.redirects());
        }
    };

    public static final StructCodec<IpAddr> KEY_CODEC = new StructCodec<>(KEY_LAYOUT) {
        private final Layout.Field addr = KEY_LAYOUT.field("addr");

        @Override
        public IpAddr read(ByteBuffer in, int base) {
            return IpAddr.of(addr.getBytes(in, base));
        }

        @Override
        protected void writeFields(IpAddr a, ByteBuffer out, int base) {
            addr.putBytes(out, base, a.bytes());
        }
    };
}
