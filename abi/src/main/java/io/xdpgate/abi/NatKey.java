package io.xdpgate.abi;

import java.nio.ByteBuffer;

/**
 * {@code struct xg_nat_key}: a redirected connection as its gateway sees it, the nat_rev key.
 * Ports are numbers (network order in the map); snatPort is 0 without source NAT.
 */
public record NatKey(int gwId, int gwPort, int snatPort, int proto) {
    public static final Layout LAYOUT = Layout.struct("xg_nat_key")
            .u16("gw_id")
            .be16("gw_port")
            .be16("snat_port")
            .u8("proto")
            .u8("pad")
            .build();

    public static final StructCodec<NatKey> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field gwId = LAYOUT.field("gw_id");
        private final Layout.Field gwPort = LAYOUT.field("gw_port");
        private final Layout.Field snatPort = LAYOUT.field("snat_port");
        private final Layout.Field proto = LAYOUT.field("proto");

        @Override
        public NatKey read(ByteBuffer in, int base) {
            return new NatKey(gwId.getInt(in, base), gwPort.getInt(in, base), snatPort.getInt(in, base),
                    proto.getInt(in, base));
        }

        @Override
        protected void writeFields(NatKey k, ByteBuffer out, int base) {
            gwId.put(out, base, k.gwId());
            gwPort.put(out, base, k.gwPort());
            snatPort.put(out, base, k.snatPort());
            proto.put(out, base, k.proto());
        }
    };

    public NatKey {
        Checks.u16("gwId", gwId);
        Checks.u16("gwPort", gwPort);
        Checks.u16("snatPort", snatPort);
        Checks.u8("proto", proto);
    }
}
