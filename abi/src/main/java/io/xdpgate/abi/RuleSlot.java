package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_rule}: the pol_rules value at index gen * XG_MAX_RULES + rule position.
 *
 * @param pairOffset the rule's paired port: a new flow it admits makes the kernel expect one more
 *                   to the flow's destination port + this offset (expect_pair); 0 none, else
 *                   {@value #PAIR_MIN}..{@value #PAIR_MAX}, kept in the byte as two's complement
 */
public record RuleSlot(int ruleId, Action action, int gwId, int pairOffset) {
    public static final int PAIR_MIN = -16;
    public static final int PAIR_MAX = 16;

    public static final Layout LAYOUT = Layout.struct("xg_rule")
            .u32("rule_id")
            .u8("action")
            .u8("pair_off")
            .u16("gw_id")
            .build();

    public static final StructCodec<RuleSlot> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field ruleId = LAYOUT.field("rule_id");
        private final Layout.Field action = LAYOUT.field("action");
        private final Layout.Field pairOff = LAYOUT.field("pair_off");
        private final Layout.Field gwId = LAYOUT.field("gw_id");

        @Override
        public RuleSlot read(ByteBuffer in, int base) {
            return new RuleSlot(ruleId.getInt(in, base), Action.fromValue(action.getInt(in, base)), gwId.getInt(in, base),
                    (byte) pairOff.getInt(in, base));
        }

        @Override
        protected void writeFields(RuleSlot r, ByteBuffer out, int base) {
            ruleId.put(out, base, r.ruleId());
            action.put(out, base, r.action().value());
            pairOff.put(out, base, r.pairOffset() & 0xff);
            gwId.put(out, base, r.gwId());
        }
    };

    public RuleSlot {
        Objects.requireNonNull(action, "action");
        Checks.u16("gwId", gwId);
        if (pairOffset < PAIR_MIN || pairOffset > PAIR_MAX) {
            throw new IllegalArgumentException("pairOffset " + pairOffset + " is outside " + PAIR_MIN + ".." + PAIR_MAX);
        }
    }

    /** A rule without a paired port. */
    public RuleSlot(int ruleId, Action action, int gwId) {
        this(ruleId, action, gwId, 0);
    }
}
