package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_event}: a ring buffer record. {@code reason} is the drop reason of a
 * {@link EventType#DROP} event and null otherwise (0 in C).
 */
public record Event(long tsNs, long connId, Tuple orig, Tuple nat, int ruleId, int gwId, EventType type,
                    Stat reason) {
    public static final Layout LAYOUT = Layout.struct("xg_event")
            .u64("ts_ns")
            .u64("conn_id")
            .struct("orig", Tuple.LAYOUT)
            .struct("nat", Tuple.LAYOUT)
            .u32("rule_id")
            .u16("gw_id")
            .u8("type")
            .u8("reason")
            .build();

    public static final StructCodec<Event> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field tsNs = LAYOUT.field("ts_ns");
        private final Layout.Field connId = LAYOUT.field("conn_id");
        private final Layout.Field orig = LAYOUT.field("orig");
        private final Layout.Field nat = LAYOUT.field("nat");
        private final Layout.Field ruleId = LAYOUT.field("rule_id");
        private final Layout.Field gwId = LAYOUT.field("gw_id");
        private final Layout.Field type = LAYOUT.field("type");
        private final Layout.Field reason = LAYOUT.field("reason");

        @Override
        public Event read(ByteBuffer in, int base) {
            int why = reason.getInt(in, base);
            return new Event(tsNs.get(in, base), connId.get(in, base), Tuple.CODEC.read(in, base + orig.offset()),
                    Tuple.CODEC.read(in, base + nat.offset()), ruleId.getInt(in, base), gwId.getInt(in, base),
                    EventType.fromValue(type.getInt(in, base)), why == 0 ? null : Stat.fromValue(why));
        }

        @Override
        protected void writeFields(Event e, ByteBuffer out, int base) {
            tsNs.put(out, base, e.tsNs());
            connId.put(out, base, e.connId());
            Tuple.CODEC.write(e.orig(), out, base + orig.offset());
            Tuple.CODEC.write(e.nat(), out, base + nat.offset());
            ruleId.put(out, base, e.ruleId());
            gwId.put(out, base, e.gwId());
            type.put(out, base, e.type().value());
            reason.put(out, base, e.reason() == null ? 0 : e.reason().value());
        }
    };

    public Event {
        Objects.requireNonNull(orig, "orig");
        Objects.requireNonNull(nat, "nat");
        Objects.requireNonNull(type, "type");
        Checks.u16("gwId", gwId);
    }
}
