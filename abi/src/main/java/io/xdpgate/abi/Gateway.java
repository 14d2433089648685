package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_gateway}: the gateways value, indexed by gateway id. IPv4 addresses are the
 * big-endian numbers of {@code __be32} fields ({@link IpAddr#ipv4Bits()}), 0 for none; IPv6
 * addresses {@link IpAddr#ZERO} for none. Pool ports are host-order numbers.
 *
 * @param instances how many instances run (0 counts as 1); each has the per-instance map slot
 *                  {@link #slot(int, int)}
 * @param poolSeed  what the kernel hashes a flow's pool search start with
 */
public record Gateway(IpAddr addr6, IpAddr snatAddr6, int addr4, int snatAddr4, int portBase, int portCount,
                      int snatPortBase, int snatPortCount, int ifindex, MacAddr mac, MacAddr localMac, int flags,
                      int instances, int poolSeed) {
    public static final Layout LAYOUT = Layout.struct("xg_gateway")
            .bytes("addr6", Abi.XG_ADDR_LEN)
            .bytes("snat_addr6", Abi.XG_ADDR_LEN)
            .be32("addr4")
            .be32("snat_addr4")
            .u16("port_base")
            .u16("port_count")
            .u16("snat_port_base")
            .u16("snat_port_count")
            .u32("ifindex")
            .bytes("mac", MacAddr.LENGTH)
            .bytes("local_mac", MacAddr.LENGTH)
            .u8("flags")
            .u8("instances")
            .pad("pad", 2)
            .u32("pool_seed")
            .build();

    public static final StructCodec<Gateway> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field addr6 = LAYOUT.field("addr6");
        private final Layout.Field snatAddr6 = LAYOUT.field("snat_addr6");
        private final Layout.Field addr4 = LAYOUT.field("addr4");
        private final Layout.Field snatAddr4 = LAYOUT.field("snat_addr4");
        private final Layout.Field portBase = LAYOUT.field("port_base");
        private final Layout.Field portCount = LAYOUT.field("port_count");
        private final Layout.Field snatPortBase = LAYOUT.field("snat_port_base");
        private final Layout.Field snatPortCount = LAYOUT.field("snat_port_count");
        private final Layout.Field ifindex = LAYOUT.field("ifindex");
        private final Layout.Field mac = LAYOUT.field("mac");
        private final Layout.Field localMac = LAYOUT.field("local_mac");
        private final Layout.Field flags = LAYOUT.field("flags");
        private final Layout.Field instances = LAYOUT.field("instances");
        private final Layout.Field poolSeed = LAYOUT.field("pool_seed");

        @Override
        public Gateway read(ByteBuffer in, int base) {
            return new Gateway(IpAddr.of(addr6.getBytes(in, base)), IpAddr.of(snatAddr6.getBytes(in, base)),
                    addr4.getInt(in, base), snatAddr4.getInt(in, base), portBase.getInt(in, base),
                    portCount.getInt(in, base), snatPortBase.getInt(in, base), snatPortCount.getInt(in, base),
                    ifindex.getInt(in, base), MacAddr.of(mac.getBytes(in, base)), MacAddr.of(localMac.getBytes(in, base)),
                    flags.getInt(in, base), instances.getInt(in, base), poolSeed.getInt(in, base));
        }

        @Override
        protected void writeFields(Gateway g, ByteBuffer out, int base) {
            addr6.putBytes(out, base, g.addr6().bytes());
            snatAddr6.putBytes(out, base, g.snatAddr6().bytes());
            addr4.put(out, base, g.addr4());
            snatAddr4.put(out, base, g.snatAddr4());
            portBase.put(out, base, g.portBase());
            portCount.put(out, base, g.portCount());
            snatPortBase.put(out, base, g.snatPortBase());
            snatPortCount.put(out, base, g.snatPortCount());
            ifindex.put(out, base, g.ifindex());
            mac.putBytes(out, base, g.mac().bytes());
            localMac.putBytes(out, base, g.localMac().bytes());
            flags.put(out, base, g.flags());
            instances.put(out, base, g.instances());
            poolSeed.put(out, base, g.poolSeed());
        }
    };

    public Gateway {
        Objects.requireNonNull(addr6, "addr6");
        Objects.requireNonNull(snatAddr6, "snatAddr6");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(localMac, "localMac");
        Checks.u16("portBase", portBase);
        Checks.u16("portCount", portCount);
        Checks.u16("snatPortBase", snatPortBase);
        Checks.u16("snatPortCount", snatPortCount);
        Checks.u8("flags", flags);
        if (instances < 0 || instances > Abi.XG_MAX_INSTANCES) {
            throw new IllegalArgumentException("instances " + instances + " is not 0.." + Abi.XG_MAX_INSTANCES);
        }
    }

    /** One instance, pool seed 0. */
    public Gateway(IpAddr addr6, IpAddr snatAddr6, int addr4, int snatAddr4, int portBase, int portCount,
                   int snatPortBase, int snatPortCount, int ifindex, MacAddr mac, MacAddr localMac, int flags) {
        this(addr6, snatAddr6, addr4, snatAddr4, portBase, portCount, snatPortBase, snatPortCount, ifindex, mac,
                localMac, flags, 1, 0);
    }

    /** The index of instance {@code instance} of gateway {@code gatewayId} in gw_tx, gw_xsks and gw_load. */
    public static int slot(int gatewayId, int instance) {
        if (gatewayId < 0 || gatewayId >= Abi.XG_MAX_GATEWAYS || instance < 0 || instance >= Abi.XG_MAX_INSTANCES) {
            throw new IllegalArgumentException("gateway " + gatewayId + " instance " + instance + " has no slot");
        }
        return gatewayId * Abi.XG_MAX_INSTANCES + instance;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}
