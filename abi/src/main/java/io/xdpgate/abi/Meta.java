package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_meta}: the XDP metadata in front of every frame redirected to a gateway. The
 * magic is the last word, right before the frame: read it first to tell xdpgate metadata from none.
 */
public record Meta(long connId, IpAddr origAddr, int origPort, int dir, int flags, int magic) {
    public static final Layout LAYOUT = Layout.struct("xg_meta")
            .u64("conn_id")
            .bytes("orig_addr", Abi.XG_ADDR_LEN)
            .be16("orig_port")
            .u8("dir")
            .u8("flags")
            .u32("magic")
            .build();

    public static final StructCodec<Meta> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field connId = LAYOUT.field("conn_id");
        private final Layout.Field origAddr = LAYOUT.field("orig_addr");
        private final Layout.Field origPort = LAYOUT.field("orig_port");
        private final Layout.Field dir = LAYOUT.field("dir");
        private final Layout.Field flags = LAYOUT.field("flags");
        private final Layout.Field magic = LAYOUT.field("magic");

        @Override
        public Meta read(ByteBuffer in, int base) {
            return new Meta(connId.get(in, base), IpAddr.of(origAddr.getBytes(in, base)), origPort.getInt(in, base),
                    dir.getInt(in, base), flags.getInt(in, base), magic.getInt(in, base));
        }

        @Override
        protected void writeFields(Meta m, ByteBuffer out, int base) {
            connId.put(out, base, m.connId());
            origAddr.putBytes(out, base, m.origAddr().bytes());
            origPort.put(out, base, m.origPort());
            dir.put(out, base, m.dir());
            flags.put(out, base, m.flags());
            magic.put(out, base, m.magic());
        }
    };

    public Meta {
        Objects.requireNonNull(origAddr, "origAddr");
        Checks.u16("origPort", origPort);
        Checks.u8("dir", dir);
        Checks.u8("flags", flags);
    }

    /** Metadata as the packet processor writes it, magic included. */
    public static Meta of(long connId, IpAddr origAddr, int origPort, int dir, int flags) {
        return new Meta(connId, origAddr, origPort, dir, flags, Abi.XG_META_MAGIC);
    }

    /** True when the magic says xdpgate wrote this. */
    public boolean isValid() {
        return magic == Abi.XG_META_MAGIC;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}
