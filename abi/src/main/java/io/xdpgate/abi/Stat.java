package io.xdpgate.abi;

import java.util.Locale;

/**
 * {@code enum xg_stat}: the slots of the per-CPU counter array, in C order (the ordinal is the
 * slot). Constants named {@code DROP_*} mirror {@code XG_DROP_*}, the drop reasons; the rest
 * mirror {@code XG_STAT_*}. New counters are appended, so a value never changes meaning across
 * an upgrade that keeps the pinned counters.
 */
public enum Stat implements CEnum {
    PASS,
    DROP,
    REDIRECT,
    NEW_FLOW,
    ESTABLISHED,
    REPLY,
    GW_RESTORED,
    GW_BYPASS,
    CLOSED,
    NON_IP,
    ICMP6_ND,
    STATELESS,
    EVENT_LOST,
    DROP_ETH_TRUNC,
    DROP_VLAN_DEPTH,
    DROP_IP4_TRUNC,
    DROP_IP4_BAD_HDR,
    DROP_IP4_BAD_LEN,
    DROP_IP6_TRUNC,
    DROP_IP6_EXT,
    DROP_FRAGMENT,
    DROP_L4_TRUNC,
    DROP_TCP_BAD_HDR,
    DROP_POLICY,
    DROP_DEFAULT,
    DROP_TCP_NO_CONN,
    DROP_TCP_CLOSED,
    DROP_CONN_FULL,
    DROP_NAT_FULL,
    DROP_POOL_EXHAUSTED,
    DROP_GW_DOWN,
    DROP_GW_NO_ADDR,
    DROP_GW_UNKNOWN,
    DROP_GW_MISMATCH,
    DROP_META,
    DROP_IP6_MAPPED,
    DROP_INTERNAL,
    DROP_TCP_WINDOW,
    DROP_TCP_INVALID,
    DROP_CT_SIDE,
    DROP_ICMP_UNRELATED,
    DROP_ICMP6_ND_HOPS,
    CT_WRONG_SIDE,
    RST_CHALLENGE,
    ICMP_RELATED,
    DROP_SRC_LIMIT,
    EARLY_DROP,
    POOL_REUSE,
    FWD,
    FWD_LOCAL,
    FWD_NO_NEIGH,
    FWD_FRAG_NEEDED,
    FWD_STACK,
    EXPECT_HIT,
    EXPECT_EXPIRED,
    PAIR_EXPECTED,
    PAIR_FAILED;

    /** {@code XG_STAT_COUNT}: the number of counters (the struct has XG_STAT_SLOTS, more). */
    public static final int COUNT = values().length;

    private static final Stat[] VALUES = values();

    @Override
    public String cName() {
        return isDropReason() ? "XG_" + name() : "XG_STAT_" + name();
    }

    @Override
    public int value() {
        return ordinal();
    }

    /** Lower-case name for metrics and logs, e.g. {@code pass}, {@code drop_policy}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One of the XG_DROP_* reasons (every dropped packet counts in exactly one, and in DROP). */
    public boolean isDropReason() {
        return name().startsWith("DROP_");
    }

    public static Stat fromValue(int value) {
        if (value < 0 || value >= VALUES.length) {
            throw new IllegalArgumentException("no Stat with value " + value);
        }
        return VALUES[value];
    }
}
