package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/** {@code struct xg_rule}: the pol_rules value at index gen * XG_MAX_RULES + rule position. */
public record RuleSlot(int ruleId, Action action, int gwId) {
    public static final Layout LAYOUT = Layout.struct("xg_rule")
            .u32("rule_id")
            .u8("action")
            .u8("pad")
            .u16("gw_id")
            .build();

    public static final StructCodec<RuleSlot> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field ruleId = LAYOUT.field("rule_id");
        private final Layout.Field action = LAYOUT.field("action");
        private final Layout.Field gwId = LAYOUT.field("gw_id");

        @Override
        public RuleSlot read(ByteBuffer in, int base) {
            return new RuleSlot(ruleId.getInt(in, base), Action.fromValue(action.getInt(in, base)), gwId.getInt(in, base));
        }

        @Override
        protected void writeFields(RuleSlot r, ByteBuffer out, int base) {
            ruleId.put(out, base, r.ruleId());
            action.put(out, base, r.action().value());
            gwId.put(out, base, r.gwId());
        }
    };

    public RuleSlot {
        Objects.requireNonNull(action, "action");
        Checks.u16("gwId", gwId);
    }
}
