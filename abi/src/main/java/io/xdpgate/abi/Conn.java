package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_conn}: the conns value; the key is the {@link Tuple} of the original direction.
 * Packet and byte counters are per direction ({@code XG_DIR_ORIG}, {@code XG_DIR_REPLY}).
 */
public record Conn(long id, long createdNs, long lastSeenNs, long packetsOrig, long packetsReply, long bytesOrig,
                   long bytesReply, Tuple nat, int ruleId, int gwId, Action verdict, TcpState tcpState, int flags,
                   Role inRole, int inIfindex, TcpWindow tcpOrig, TcpWindow tcpReply, int gwInst) {
    /** {@link #ruleId} of a flow the default action admitted (0xffffffff). */
    public static final int DEFAULT_RULE_ID = (int) Abi.XG_RULE_DEFAULT;

    public static final Layout LAYOUT = Layout.struct("xg_conn")
            .u64("id")
            .u64("created_ns")
            .u64("last_seen_ns")
            .u64s("packets", 2)
            .u64s("bytes", 2)
            .struct("nat", Tuple.LAYOUT)
            .u32("rule_id")
            .u16("gw_id")
            .u8("verdict")
            .u8("tcp_state")
            .u8("flags")
            .u8("in_role")
            .bytes("tcp_wscale", 2)
            .u32("in_ifindex")
            .u32s("tcp_next", 2)
            .u32s("tcp_ack", 2)
            .u32s("tcp_win", 2)
            .u8("gw_inst")
            .pad("pad", 7)
            .build();

    public static final StructCodec<Conn> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field id = LAYOUT.field("id");
        private final Layout.Field createdNs = LAYOUT.field("created_ns");
        private final Layout.Field lastSeenNs = LAYOUT.field("last_seen_ns");
        private final Layout.Field packets = LAYOUT.field("packets");
        private final Layout.Field bytes = LAYOUT.field("bytes");
        private final Layout.Field nat = LAYOUT.field("nat");
        private final Layout.Field ruleId = LAYOUT.field("rule_id");
        private final Layout.Field gwId = LAYOUT.field("gw_id");
        private final Layout.Field verdict = LAYOUT.field("verdict");
        private final Layout.Field tcpState = LAYOUT.field("tcp_state");
        private final Layout.Field flags = LAYOUT.field("flags");
        private final Layout.Field inRole = LAYOUT.field("in_role");
        private final Layout.Field wscale = LAYOUT.field("tcp_wscale");
        private final Layout.Field inIfindex = LAYOUT.field("in_ifindex");
        private final Layout.Field next = LAYOUT.field("tcp_next");
        private final Layout.Field ack = LAYOUT.field("tcp_ack");
        private final Layout.Field win = LAYOUT.field("tcp_win");
        private final Layout.Field gwInst = LAYOUT.field("gw_inst");

        @Override
        public Conn read(ByteBuffer in, int base) {
            long[] p = packets.getLongs(in, base);
            long[] b = bytes.getLongs(in, base);
            return new Conn(id.get(in, base), createdNs.get(in, base), lastSeenNs.get(in, base), p[0], p[1], b[0], b[1],
                    Tuple.CODEC.read(in, base + nat.offset()), ruleId.getInt(in, base), gwId.getInt(in, base),
                    Action.fromValue(verdict.getInt(in, base)), TcpState.fromValue(tcpState.getInt(in, base)),
                    flags.getInt(in, base), Role.fromValue(inRole.getInt(in, base)), inIfindex.getInt(in, base),
                    window(in, base, Abi.XG_DIR_ORIG), window(in, base, Abi.XG_DIR_REPLY), gwInst.getInt(in, base));
        }

        private TcpWindow window(ByteBuffer in, int base, int dir) {
            return new TcpWindow(next.getInts(in, base)[dir], ack.getInts(in, base)[dir], win.getInts(in, base)[dir],
                    wscale.getBytes(in, base)[dir] & 0xff);
        }

        @Override
        protected void writeFields(Conn c, ByteBuffer out, int base) {
            id.put(out, base, c.id());
            createdNs.put(out, base, c.createdNs());
            lastSeenNs.put(out, base, c.lastSeenNs());
            packets.putLongs(out, base, new long[] {c.packetsOrig(), c.packetsReply()});
            bytes.putLongs(out, base, new long[] {c.bytesOrig(), c.bytesReply()});
            Tuple.CODEC.write(c.nat(), out, base + nat.offset());
            ruleId.put(out, base, c.ruleId());
            gwId.put(out, base, c.gwId());
            verdict.put(out, base, c.verdict().value());
            tcpState.put(out, base, c.tcpState().value());
            flags.put(out, base, c.flags());
            inRole.put(out, base, c.inRole().value());
            wscale.putBytes(out, base, new byte[] {(byte) c.tcpOrig().wscale(), (byte) c.tcpReply().wscale()});
            inIfindex.put(out, base, c.inIfindex());
            next.putInts(out, base, new int[] {c.tcpOrig().next(), c.tcpReply().next()});
            ack.putInts(out, base, new int[] {c.tcpOrig().ack(), c.tcpReply().ack()});
            win.putInts(out, base, new int[] {c.tcpOrig().window(), c.tcpReply().window()});
            gwInst.put(out, base, c.gwInst());
        }
    };

    public Conn {
        Objects.requireNonNull(nat, "nat");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(tcpState, "tcpState");
        Objects.requireNonNull(inRole, "inRole");
        Objects.requireNonNull(tcpOrig, "tcpOrig");
        Objects.requireNonNull(tcpReply, "tcpReply");
        Checks.u16("gwId", gwId);
        Checks.u8("flags", flags);
    }

    public boolean isRedirected() {
        return verdict == Action.REDIRECT;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}
