package io.xdpgate.abi;

/** The #define constants of xdpgate_abi.h, same names, same values (AbiConstantsTest keeps them so). */
public final class Abi {
    public static final int XG_ADDR_LEN = 16;

    public static final int XG_FAMILY_IPV4 = 4;
    public static final int XG_FAMILY_IPV6 = 6;

    public static final int XG_MAX_RULES = 10240;
    public static final int XG_BITMAP_WORDS = XG_MAX_RULES / 64;

    public static final int XG_MAX_GATEWAYS = 64;
    public static final int XG_MAX_INSTANCES = 8;

    public static final int XG_STAT_SLOTS = 64;
    /** ifaces is an array indexed by ifindex; larger ifindexes cannot be given a role. */
    public static final int XG_MAX_IFINDEX = 65536;
    public static final int XG_MAX_FWD_PORTS = 256;
    /** Expected connections (expects) announced at once. */
    public static final int XG_MAX_EXPECTS = 4096;
    public static final int XG_MAX_PAIRS = 16384;
    /** xg_iface.flags: the interface runs the XDP hook. */
    public static final int XG_IFACE_F_XDP = 0x01;
    public static final int XG_POLICY_GENERATIONS = 2;

    /** "XGM1", host order, the last word of {@link Meta}. */
    public static final int XG_META_MAGIC = 0x58474d31;

    public static final int XG_DIR_ORIG = 0;
    public static final int XG_DIR_REPLY = 1;

    public static final int XG_WSCALE_NONE = 0xff;

    public static final int XG_CONN_F_FIN_ORIG = 0x01;
    public static final int XG_CONN_F_FIN_REPLY = 0x02;
    public static final int XG_CONN_F_SNAT = 0x04;
    public static final int XG_CONN_F_PICKUP = 0x08;

    public static final int XG_GW_F_ACTIVE = 0x01;
    public static final int XG_GW_F_FAIL_OPEN = 0x02;
    public static final int XG_GW_F_XSK = 0x04;

    public static final int XG_META_F_SNAT = 0x01;

    /** {@link PolicyMeta#wild()}: fields no rule constrains; the kernel skips their lookup. */
    public static final int XG_POL_WILD_SRC = 0x01;
    public static final int XG_POL_WILD_DST = 0x02;
    public static final int XG_POL_WILD_PORT = 0x04;

    /** rule_id of a flow the default action decided; as a Java int it reads -1. */
    public static final long XG_RULE_DEFAULT = 0xffffffffL;

    /** Prefix lengths of full-length policy lookup keys (generation + address; generation + protocol + port). */
    public static final int XG_ADDR_KEY_BITS = 136;
    public static final int XG_PORT_KEY_BITS = 32;

    private Abi() {
    }
}
