package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_iface}: the ifaces value, keyed by ifindex. For a gateway veth, the gateway
 * and which of its instances sits behind it.
 */
public record Iface(Role role, int gwInst, int gwId, MacAddr mac, int flags) {
    public static final Layout LAYOUT = Layout.struct("xg_iface")
            .u8("role")
            .u8("gw_inst")
            .u16("gw_id")
            .bytes("mac", MacAddr.LENGTH)
            .u8("flags")
            .pad("pad2", 1)
            .build();

    public static final StructCodec<Iface> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field role = LAYOUT.field("role");
        private final Layout.Field gwInst = LAYOUT.field("gw_inst");
        private final Layout.Field gwId = LAYOUT.field("gw_id");
        private final Layout.Field mac = LAYOUT.field("mac");
        private final Layout.Field flags = LAYOUT.field("flags");

        @Override
        public Iface read(ByteBuffer in, int base) {
            return new Iface(Role.fromValue(role.getInt(in, base)), gwInst.getInt(in, base), gwId.getInt(in, base),
                    MacAddr.of(mac.getBytes(in, base)), flags.getInt(in, base));
        }

        @Override
        protected void writeFields(Iface i, ByteBuffer out, int base) {
            role.put(out, base, i.role().value());
            gwInst.put(out, base, i.gwInst());
            gwId.put(out, base, i.gwId());
            mac.putBytes(out, base, i.mac().bytes());
            flags.put(out, base, i.flags());
        }
    };

    public Iface {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mac, "mac");
        Checks.u16("gwId", gwId);
        Checks.u8("flags", flags);
        if (gwInst < 0 || gwInst >= Abi.XG_MAX_INSTANCES) {
            throw new IllegalArgumentException("gwInst " + gwInst + " is not an instance (0.." + (Abi.XG_MAX_INSTANCES - 1) + ")");
        }
    }

    /** An interface of instance 0 (or of no gateway). */
    public Iface(Role role, int gwId, MacAddr mac) {
        this(role, 0, gwId, mac, 0);
    }

    public Iface(Role role, int gwInst, int gwId, MacAddr mac) {
        this(role, gwInst, gwId, mac, 0);
    }

    public Iface withFlags(int newFlags) {
        return new Iface(role, gwInst, gwId, mac, newFlags);
    }

    /** It runs the XDP hook: the XDP program may forward frames out of it. */
    public boolean atXdp() {
        return (flags & Abi.XG_IFACE_F_XDP) != 0;
    }
}
