package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/** {@code struct xg_iface}: the ifaces value, keyed by ifindex. */
public record Iface(Role role, int gwId, MacAddr mac) {
    public static final Layout LAYOUT = Layout.struct("xg_iface")
            .u8("role")
            .u8("pad")
            .u16("gw_id")
            .bytes("mac", MacAddr.LENGTH)
            .pad("pad2", 2)
            .build();

    public static final StructCodec<Iface> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field role = LAYOUT.field("role");
        private final Layout.Field gwId = LAYOUT.field("gw_id");
        private final Layout.Field mac = LAYOUT.field("mac");

        @Override
        public Iface read(ByteBuffer in, int base) {
            return new Iface(Role.fromValue(role.getInt(in, base)), gwId.getInt(in, base),
                    MacAddr.of(mac.getBytes(in, base)));
        }

        @Override
        protected void writeFields(Iface i, ByteBuffer out, int base) {
            role.put(out, base, i.role().value());
            gwId.put(out, base, i.gwId());
            mac.putBytes(out, base, i.mac().bytes());
        }
    };

    public Iface {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mac, "mac");
        Checks.u16("gwId", gwId);
    }
}
