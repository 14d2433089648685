package io.xdpgate.datapath.tables;

import java.util.List;

/** Names of the packet processor's maps and program, as in bpf/src/maps.h and xdpgate.bpf.c. */
public final class MapNames {
    public static final String PROGRAM = "xdpgate_xdp";
    /** The same pipeline at tc ingress, in the second object (xdpgate_tc.bpf.o). */
    public static final String TC_PROGRAM = "xdpgate_tc";
    /** Attached to the gateway end of each gateway veth: frames to the gateway's AF_XDP socket. */
    public static final String XSK_PROGRAM = "xdpgate_xsk";

    public static final String CONNS = "conns";
    public static final String NAT_REV = "nat_rev";
    public static final String GATEWAYS = "gateways";
    public static final String GW_TX = "gw_tx";
    public static final String GW_XSKS = "gw_xsks";
    public static final String GW_LOAD = "gw_load";
    public static final String FWD_PORTS = "fwd_ports";
    public static final String IFACES = "ifaces";
    public static final String CONN_SEQ = "conn_seq";
    public static final String POL_SRC = "pol_src";
    public static final String POL_DST = "pol_dst";
    public static final String POL_PORT = "pol_port";
    public static final String POL_ROLE = "pol_role";
    public static final String POL_RULES = "pol_rules";
    public static final String POL_META = "pol_meta";
    public static final String POLICY_CTL = "policy_ctl";
    public static final String STATS = "stats";
    public static final String SRC_COUNTS = "src_counts";
    public static final String UNREPLIED = "unreplied";
    public static final String UNREPLIED_CURSOR = "unreplied_cursor";
    public static final String EXPECTS = "expects";
    public static final String PAIRS = "pairs";
    public static final String EVENTS = "events";

    /**
     * Every map the control plane pins and reuses across restarts. Not gw_tx and fwd_ports: they
     * are rewritten from configuration on every start, and libbpf 1.1 cannot reuse a pinned devmap. Not
     * gw_xsks: its sockets close with the process that registered them.
     */
    public static final List<String> PINNED = List.of(CONNS, NAT_REV, GATEWAYS, GW_LOAD, IFACES,
            CONN_SEQ, POL_SRC, POL_DST, POL_PORT, POL_ROLE, POL_RULES, POL_META, POLICY_CTL, STATS, EVENTS,
            SRC_COUNTS, UNREPLIED, UNREPLIED_CURSOR, EXPECTS, PAIRS);

    private MapNames() {
    }

    /** What replacing a pinned map with a new, empty one loses (for the log line that says so). */
    public static String lossOnReplace(String map) {
        return switch (map) {
            case CONNS, NAT_REV -> "tracked connections and their NAT slots are forgotten; with tcp-strict, "
                    + "established TCP connections through the firewall are dropped and must reconnect";
            case STATS -> "counters restart at zero";
            case EVENTS -> "flow events not yet read are lost";
            case CONN_SEQ -> "connection ids restart (ids stay unique per CPU)";
            case GW_LOAD -> "instances report their load again within a second";
            case SRC_COUNTS -> "per-source counts restart at zero until the next GC sweep recounts them";
            case UNREPLIED, UNREPLIED_CURSOR -> "a full table finds no unreplied entry to reclaim until new flows arrive";
            case EXPECTS -> "announced connections (FTP data channels) not yet opened are classified by the rules";
            case PAIRS -> "paired ports not yet opened are classified by the rules";
            default -> "rewritten from the policy and settings at start, nothing lost";
        };
    }
}
