package io.xdpgate.abi;

import java.nio.ByteBuffer;

/**
 * {@code struct xg_port_key}: pol_port LPM key. prefixlen = 8 (generation) + 8 when the rule names
 * a protocol + the port prefix bits; the port is a number (network order in the key).
 */
public record PortKey(int prefixlen, int gen, int proto, int port) {
    public static final Layout LAYOUT = Layout.struct("xg_port_key")
            .u32("prefixlen")
            .u8("gen")
            .u8("proto")
            .be16("port")
            .build();

    public static final StructCodec<PortKey> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field prefixlen = LAYOUT.field("prefixlen");
        private final Layout.Field gen = LAYOUT.field("gen");
        private final Layout.Field proto = LAYOUT.field("proto");
        private final Layout.Field port = LAYOUT.field("port");

        @Override
        public PortKey read(ByteBuffer in, int base) {
            return new PortKey(prefixlen.getInt(in, base), gen.getInt(in, base), proto.getInt(in, base),
                    port.getInt(in, base));
        }

        @Override
        protected void writeFields(PortKey k, ByteBuffer out, int base) {
            prefixlen.put(out, base, k.prefixlen());
            gen.put(out, base, k.gen());
            proto.put(out, base, k.proto());
            port.put(out, base, k.port());
        }
    };

    public PortKey {
        Checks.u8("gen", gen);
        Checks.u8("proto", proto);
        Checks.u16("port", port);
    }
}
