package io.xdpgate.abi;

import java.util.List;

/** Every struct and enum of xdpgate_abi.h with its Java mirror: what the ABI tests walk. */
public final class AbiCatalog {
    public static final List<Layout> STRUCTS = List.of(
            Stats.LAYOUT,
            Tuple.LAYOUT,
            ExpectKey.LAYOUT,
            Expect.LAYOUT,
            Conn.LAYOUT,
            NatKey.LAYOUT,
            Gateway.LAYOUT,
            Iface.LAYOUT,
            Bitmap.LAYOUT,
            AddrKey.LAYOUT,
            PortKey.LAYOUT,
            RuleSlot.LAYOUT,
            PolicyMeta.LAYOUT,
            Event.LAYOUT,
            Meta.LAYOUT,
            SrcCount.KEY_LAYOUT,
            SrcCount.LAYOUT);

    public static final List<EnumMirror> ENUMS = List.of(
            EnumMirror.withCount("xg_role", Role.class, "XG_ROLE_COUNT"),
            EnumMirror.of("xg_action", Action.class),
            EnumMirror.of("xg_tcp_state", TcpState.class),
            EnumMirror.of("xg_event_type", EventType.class),
            EnumMirror.withCount("xg_stat", Stat.class, "XG_STAT_COUNT"));

    private AbiCatalog() {
    }
}
