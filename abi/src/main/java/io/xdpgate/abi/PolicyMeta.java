package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Objects;

/** {@code struct xg_policy_meta}: the pol_meta value, per generation. */
public record PolicyMeta(int nrules, Action defaultAction, int wild) {
    public static final Layout LAYOUT = Layout.struct("xg_policy_meta")
            .u32("nrules")
            .u8("default_action")
            .u8("wild")
            .pad("pad", 2)
            .build();

    public static final StructCodec<PolicyMeta> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field nrules = LAYOUT.field("nrules");
        private final Layout.Field defaultAction = LAYOUT.field("default_action");
        private final Layout.Field wild = LAYOUT.field("wild");

        @Override
        public PolicyMeta read(ByteBuffer in, int base) {
            return new PolicyMeta(nrules.getInt(in, base), Action.fromValue(defaultAction.getInt(in, base)),
                    wild.getInt(in, base));
        }

        @Override
        protected void writeFields(PolicyMeta m, ByteBuffer out, int base) {
            nrules.put(out, base, m.nrules());
            defaultAction.put(out, base, m.defaultAction().value());
            wild.put(out, base, m.wild());
        }
    };

    public PolicyMeta {
        Objects.requireNonNull(defaultAction, "defaultAction");
        Checks.u8("wild", wild);
    }
}
