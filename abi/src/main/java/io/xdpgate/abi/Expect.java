package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@code struct xg_expect}: the expects value. The first packet of a new flow that matches its
 * {@link ExpectKey} (TCP: the SYN; UDP: the first datagram) deletes the entry (one-shot) and is
 * admitted with {@link #action} instead of the rules' decision, attributed to {@link #ruleId}.
 *
 * @param expiresNs CLOCK_MONOTONIC ({@link System#nanoTime()} on Linux): past it the kernel ignores
 *                  and deletes the entry
 * @param parentId  the {@link Conn#id()} of the connection that asked (FTP control)
 * @param gwId      for {@link Action#REDIRECT}: the gateway
 * @param action    {@link Action#PASS} or {@link Action#REDIRECT}
 */
public record Expect(long expiresNs, long parentId, int ruleId, int gwId, Action action) {
    public static final Layout LAYOUT = Layout.struct("xg_expect")
            .u64("expires_ns")
            .u64("parent_id")
            .u32("rule_id")
            .u16("gw_id")
            .u8("action")
            .u8("pad")
            .build();

    public static final StructCodec<Expect> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field expiresNs = LAYOUT.field("expires_ns");
        private final Layout.Field parentId = LAYOUT.field("parent_id");
        private final Layout.Field ruleId = LAYOUT.field("rule_id");
        private final Layout.Field gwId = LAYOUT.field("gw_id");
        private final Layout.Field action = LAYOUT.field("action");

        @Override
        public Expect read(ByteBuffer in, int base) {
            return new Expect(expiresNs.get(in, base), parentId.get(in, base), ruleId.getInt(in, base),
                    gwId.getInt(in, base), Action.fromValue(action.getInt(in, base)));
        }

        @Override
        protected void writeFields(Expect e, ByteBuffer out, int base) {
            expiresNs.put(out, base, e.expiresNs());
            parentId.put(out, base, e.parentId());
            ruleId.put(out, base, e.ruleId());
            gwId.put(out, base, e.gwId());
            action.put(out, base, e.action().value());
        }
    };

    public Expect {
        Objects.requireNonNull(action, "action");
        Checks.u16("gwId", gwId);
    }

    /** A flow passed in the kernel, attributed to {@code ruleId}, until {@code expiresNs}. */
    public static Expect pass(long expiresNs, long parentId, int ruleId) {
        return new Expect(expiresNs, parentId, ruleId, 0, Action.PASS);
    }

    /** A flow redirected to gateway {@code gwId}, attributed to {@code ruleId}, until {@code expiresNs}. */
    public static Expect redirect(long expiresNs, long parentId, int ruleId, int gwId) {
        return new Expect(expiresNs, parentId, ruleId, gwId, Action.REDIRECT);
    }

    /** Past its time at {@code nowNs} (CLOCK_MONOTONIC): the kernel would ignore and delete it. */
    public boolean isExpired(long nowNs) {
        return Long.compareUnsigned(nowNs, expiresNs) > 0;
    }
}
