/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The kernel/user contract of xdpgate: every struct and constant that both the
 * BPF program and the Java control plane or gateways read.
 *
 * Rules for this file:
 *   - fixed-width __u* / __be* types only, explicit padding, no bitfields;
 *   - every struct has a _Static_assert on its size;
 *   - the Java mirror lives in datapath/src/main/java/io/xdpgate/datapath/abi/
 *     and AbiLayoutTest compares both against the BTF of the compiled object,
 *     so a change here that is not mirrored fails the build.
 */
#ifndef XDPGATE_ABI_H
#define XDPGATE_ABI_H

#include <linux/types.h>

/* Addresses are stored in 16 bytes; IPv4 uses the IPv4-mapped form
 * ::ffff:a.b.c.d so one table and one key layout serve both families. */
#define XG_ADDR_LEN 16

/* Tuple family tags. Own values (not AF_*) so the tag fits a byte and means
 * the same on every platform. */
#define XG_FAMILY_IPV4 4
#define XG_FAMILY_IPV6 6

/* Rule classification works on bitmaps with one bit per rule; 10,240 is the
 * first multiple of 64 above the 10,000 rules the benchmark demands. */
#define XG_MAX_RULES 10240
#define XG_BITMAP_WORDS (XG_MAX_RULES / 64)

/* Gateways are few (one per protocol); 64 keeps the array tiny. Each may run
 * up to 8 instances (threads or processes, each with its own socket); the
 * per-instance maps are indexed by gateway id * XG_MAX_INSTANCES + instance. */
#define XG_MAX_GATEWAYS 64
#define XG_MAX_INSTANCES 8

/* ifaces is an array indexed by ifindex (an array lookup is inlined by the
 * verifier; a hash lookup costs a call and a hash on every packet). Interfaces
 * with a larger ifindex cannot be given a role and count as external. */
#define XG_MAX_IFINDEX 65536

/* Interfaces admitted packets may be forwarded to by FIB lookup (fwd_ports). */
#define XG_MAX_FWD_PORTS 256

/* Connections an application gateway (FTP's data channels) may have announced
 * at once (expects); each is used once or expires. */
#define XG_MAX_EXPECTS 4096

/* Connections rules' paired ports expect at once (pairs): least recently
 * written evicted first, so admitted flows can never fill the gateways'
 * expects, only crowd out each other's pairs. */
#define XG_MAX_PAIRS 16384

/* A policy is double-buffered: generation 0 and 1 live side by side in every
 * policy map and one word (policy_ctl) says which one classifies. */
#define XG_POLICY_GENERATIONS 2

/* XDP metadata must be a multiple of 4 and at most 32 bytes (kernel limit in
 * xdp_metalen_invalid); struct xg_meta is exactly that. The magic is the last
 * word, i.e. the 4 bytes right in front of the frame, so a gateway can tell
 * xdpgate metadata from none. */
#define XG_META_MAGIC 0x58474d31 /* "XGM1" */

/* Directions of a packet relative to the connection that owns it. */
#define XG_DIR_ORIG 0
#define XG_DIR_REPLY 1

/* Interface roles. External is zero so that an interface nobody described
 * gets the strictest treatment rather than the loosest. */
enum xg_role {
	XG_ROLE_EXTERNAL = 0,
	XG_ROLE_INTERNAL = 1,
	XG_ROLE_GATEWAY = 2,
	XG_ROLE_COUNT = 3,
};

/* What a rule (or the default) does with a new flow. Drop is zero so a
 * zero-filled slot can never let traffic through. */
enum xg_action {
	XG_ACT_DROP = 0,
	XG_ACT_PASS = 1,
	XG_ACT_REDIRECT = 2,
};

/* TCP tracking states; NONE for flows that are not TCP. */
enum xg_tcp_state {
	XG_TCP_NONE = 0,
	XG_TCP_SYN_SENT = 1,
	XG_TCP_ESTABLISHED = 2,
	XG_TCP_FIN_WAIT = 3,  /* one side sent FIN */
	XG_TCP_TIME_WAIT = 4, /* both sides sent FIN: only segments without data pass */
	XG_TCP_CLOSED = 5,    /* RST seen: nothing but a new SYN passes */
};

/* struct xg_conn.tcp_wscale when a direction announced no window scale (RFC 7323): windows are then unscaled for both. */
#define XG_WSCALE_NONE 0xff

/* struct xg_conn.flags */
#define XG_CONN_F_FIN_ORIG 0x01
#define XG_CONN_F_FIN_REPLY 0x02
#define XG_CONN_F_SNAT 0x04
#define XG_CONN_F_PICKUP 0x08 /* picked up mid-stream (tcp-strict off): windows unknown, not checked */

/* struct xg_gateway.flags */
#define XG_GW_F_ACTIVE 0x01    /* the control plane has the gateway running */
#define XG_GW_F_FAIL_OPEN 0x02 /* when down: pass flows unredirected instead of dropping */
#define XG_GW_F_XSK 0x04       /* a local AF_XDP gateway: up only while its socket is in gw_xsks */

/* struct xg_policy_meta.wild: fields no rule constrains. The kernel then
 * skips that field's lookup: every rule matches it. */
#define XG_POL_WILD_SRC 0x01
#define XG_POL_WILD_DST 0x02
#define XG_POL_WILD_PORT 0x04

/* rule_id reported (connections, events) when the default action decided. */
#define XG_RULE_DEFAULT 0xffffffff

/* Prefix lengths of full-length policy lookup keys: 8 generation bits + 128
 * address bits; 8 generation + 8 protocol + 16 port bits. */
#define XG_ADDR_KEY_BITS 136
#define XG_PORT_KEY_BITS 32

/* struct xg_meta.flags */
#define XG_META_F_SNAT 0x01 /* the client side was NATed too: read the full tuple from conns */

/* Flow event types (struct xg_event.type). */
enum xg_event_type {
	XG_EV_NEW = 1,      /* a new flow was admitted and passes */
	XG_EV_REDIRECT = 2, /* a new flow was admitted and redirected to a gateway */
	XG_EV_CLOSED = 3,   /* FIN from both sides or RST */
	XG_EV_DROP = 4,     /* a new flow was refused; reason says why */
};

/*
 * Per-CPU counters, one slot each: verdicts, flow bookkeeping (XG_STAT_*) and
 * one slot per drop reason (XG_DROP_*); every XDP_DROP increments exactly one
 * reason and XG_STAT_DROP. New counters are appended, never inserted: the
 * stats map is pinned, and an upgrade keeps its counts, so a value must keep
 * its meaning.
 */
enum xg_stat {
	XG_STAT_PASS = 0,          /* packets admitted: given to the stack or forwarded (XDP_PASS, TC_ACT_OK, FIB redirect) */
	XG_STAT_DROP,              /* packets dropped, any reason */
	XG_STAT_REDIRECT,          /* packets redirected to a gateway */
	XG_STAT_NEW_FLOW,          /* flows admitted (pass or redirect) */
	XG_STAT_ESTABLISHED,       /* packets that matched a connection entry */
	XG_STAT_REPLY,             /* ...of those, in the reply direction */
	XG_STAT_GW_RESTORED,       /* packets from a gateway restored to their original tuple */
	XG_STAT_GW_BYPASS,         /* flows passed unredirected: gateway down and fail-open */
	XG_STAT_CLOSED,            /* flows closed by FIN from both sides or RST */
	XG_STAT_NON_IP,            /* non-IP frames (ARP, LLDP ...) passed untouched */
	XG_STAT_ICMP6_ND,          /* ICMPv6 neighbour discovery passed untouched */
	XG_STAT_STATELESS,         /* ICMP non-echo passed by policy without an entry */
	XG_STAT_EVENT_LOST,        /* events not written: ring buffer full */
	XG_DROP_ETH_TRUNC,         /* frame shorter than an Ethernet (or VLAN) header */
	XG_DROP_VLAN_DEPTH,        /* more than two VLAN tags */
	XG_DROP_IP4_TRUNC,         /* shorter than an IPv4 header */
	XG_DROP_IP4_BAD_HDR,       /* IPv4 ihl < 5 or options beyond the frame */
	XG_DROP_IP4_BAD_LEN,       /* IPv4 total length larger than the frame or below ihl */
	XG_DROP_IP6_TRUNC,         /* shorter than an IPv6 header or payload length beyond the frame */
	XG_DROP_IP6_EXT,           /* IPv6 extension header chain truncated or too long */
	XG_DROP_FRAGMENT,          /* IPv4 or IPv6 fragment (policy: fragments are not admitted) */
	XG_DROP_L4_TRUNC,          /* TCP/UDP/ICMP header truncated */
	XG_DROP_TCP_BAD_HDR,       /* TCP data offset < 5 or beyond the packet, or no-flag/SYN+FIN/SYN+RST */
	XG_DROP_POLICY,            /* a drop rule matched */
	XG_DROP_DEFAULT,           /* no rule matched and the default action is drop */
	XG_DROP_TCP_NO_CONN,       /* TCP segment other than SYN with no connection */
	XG_DROP_TCP_CLOSED,        /* TCP segment on a closed connection */
	XG_DROP_CONN_FULL,         /* the connection table is full */
	XG_DROP_NAT_FULL,          /* the NAT reverse table is full */
	XG_DROP_POOL_EXHAUSTED,    /* no free port in the gateway's pool */
	XG_DROP_GW_DOWN,           /* redirect to a gateway that is not active (fail-closed) */
	XG_DROP_GW_NO_ADDR,        /* the gateway has no address of the packet's family */
	XG_DROP_GW_UNKNOWN,        /* from a gateway: no NAT entry for the tuple */
	XG_DROP_GW_MISMATCH,       /* from a gateway: NAT entry exists but the peer tuple differs */
	XG_DROP_META,              /* a frame at a gateway socket of no known connection (it ended on the way), or its metadata could not be written */
	XG_DROP_IP6_MAPPED,        /* IPv6 packet with an IPv4-mapped address: never valid on the wire, and it would pose as IPv4 */
	XG_DROP_INTERNAL,          /* a state the packet processor never creates (per-CPU scratch missing, a redirected entry it cannot rewrite): a bug or a corrupted map */
	XG_DROP_TCP_WINDOW,        /* RST, FIN or SYN of a connection outside the receiver's window (RFC 5961) */
	XG_DROP_TCP_INVALID,       /* a segment the connection's state rules out: SYN-ACK from the initiator, SYN-ACK not acknowledging the SYN */
	XG_DROP_CT_SIDE,           /* a packet of a known connection from the wrong side, where no other connection could take it */
	XG_DROP_ICMP_UNRELATED,    /* an ICMP error quoting no known connection */
	XG_DROP_ICMP6_ND_HOPS,     /* neighbour discovery with hop limit below 255, or MLD with hop limit above 1: sent from off-link */
	XG_STAT_CT_WRONG_SIDE,     /* a packet matched a connection only from its wrong side and was judged as a new flow */
	XG_STAT_RST_CHALLENGE,     /* an in-window RST that is not exact: passed for the endpoint's challenge ACK, the connection kept */
	XG_STAT_ICMP_RELATED,      /* ICMP errors passed because they quote a known connection */
	XG_DROP_SRC_LIMIT,         /* the source address holds its most connections or gateway redirects (cfg_*_per_src) */
	XG_STAT_EARLY_DROP,        /* unconfirmed entries removed to make room for a new flow (table or pool full) */
	XG_STAT_POOL_REUSE,        /* pool slots of ended connections (RST, both FINs) taken over by a new flow */
	/* Admitted packets under FIB forwarding (cfg_forward): each pass is either
	 * forwarded by the packet processor or given to the stack for a reason. */
	XG_STAT_FWD,               /* forwarded by FIB lookup and redirect, past the stack */
	XG_STAT_FWD_LOCAL,         /* to the stack: the FIB does not forward it (an address of this host, or no route at all) */
	XG_STAT_FWD_NO_NEIGH,      /* to the stack: the next hop's link-layer address is not known yet */
	XG_STAT_FWD_FRAG_NEEDED,   /* to the stack: larger than the egress MTU (it fragments or says so) */
	XG_STAT_FWD_STACK,         /* to the stack: no route, forwarding off, TTL expiring, VLAN tag, an egress xdpgate does not manage, or from XDP an egress not at XDP */
	XG_STAT_EXPECT_HIT,        /* new flows an expectation (expects) decided instead of the rules: claims, counted before the gateway and table checks */
	XG_STAT_EXPECT_EXPIRED,    /* expectations found past their time at lookup and deleted */
	XG_STAT_PAIR_EXPECTED,     /* expectations a rule's paired port wrote for the port next to an admitted flow's */
	XG_STAT_PAIR_FAILED,       /* ...not written: one for that flow exists already, expects is full, or the port is outside 1..65535 */
	XG_STAT_COUNT,
};

/* stats value: the per-CPU array has one slot holding every counter, so a
 * packet costs one map lookup however many counters it moves. Room for more
 * counters than exist, so that adding one keeps the pinned map's layout and a
 * daemon upgrade keeps its counters. */
#define XG_STAT_SLOTS 64
_Static_assert(XG_STAT_COUNT <= XG_STAT_SLOTS, "more counters than stats slots");

struct xg_stats {
	__u64 count[XG_STAT_SLOTS];
};
_Static_assert(sizeof(struct xg_stats) == 8 * XG_STAT_SLOTS, "xg_stats size");

/* A flow's addresses and ports as seen on the wire. ICMP echo request/reply
 * put the identifier in sport (request) or dport (reply) so that the reply's
 * reversed tuple equals the request's tuple. */
struct xg_tuple {
	__u8 saddr[XG_ADDR_LEN];
	__u8 daddr[XG_ADDR_LEN];
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 family;
	__u8 pad[2];
};
_Static_assert(sizeof(struct xg_tuple) == 40, "xg_tuple size");

/* expects key: a connection an application gateway announced (an FTP data
 * channel), exact but for its source port, which the connecting side picks. */
struct xg_expect_key {
	__u8 saddr[XG_ADDR_LEN]; /* who will connect (IPv4 mapped as in xg_tuple) */
	__u8 daddr[XG_ADDR_LEN];
	__be16 dport;
	__u8 proto;              /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 family;             /* XG_FAMILY_* */
};
_Static_assert(sizeof(struct xg_expect_key) == 36, "xg_expect_key size");

/* expects value. The first packet of a new flow that matches (TCP: the SYN;
 * UDP: the first datagram) deletes the entry (one-shot: the delete's success
 * is the claim) and is admitted with its action instead of the rules'. */
struct xg_expect {
	__u64 expires_ns; /* CLOCK_MONOTONIC (bpf_ktime_get_coarse_ns / Java System.nanoTime); ignored and deleted past it */
	__u64 parent_id;  /* xg_conn id of the connection that asked (FTP control), for the flow event */
	__u32 rule_id;    /* the rule the expected flow is attributed to (the parent's) */
	__u16 gw_id;      /* XG_ACT_REDIRECT: the gateway */
	__u8 action;      /* XG_ACT_PASS or XG_ACT_REDIRECT */
	__u8 pad;
};
_Static_assert(sizeof(struct xg_expect) == 24, "xg_expect size");

/* conns value; the key is the tuple of the original (first) direction. */
struct xg_conn {
	__u64 id;           /* unique per boot: cpu << 48 | per-cpu sequence */
	__u64 created_ns;   /* bpf_ktime_get_ns() at creation */
	__u64 last_seen_ns; /* refreshed at most every XG_TOUCH_NS (see conntrack.h) */
	__u64 packets[2];   /* indexed by XG_DIR_*; updated without atomics: approximate under RSS spread */
	__u64 bytes[2];
	struct xg_tuple nat; /* the original direction after NAT; zero unless redirected */
	__u32 rule_id;       /* id of the rule that admitted the flow; 0xffffffff = default */
	__u16 gw_id;
	__u8 verdict;        /* enum xg_action: PASS or REDIRECT */
	__u8 tcp_state;      /* enum xg_tcp_state */
	__u8 flags;          /* XG_CONN_F_* */
	__u8 in_role;        /* enum xg_role of the interface of the first packet */
	__u8 tcp_wscale[2];  /* window scale each direction announced in its SYN; XG_WSCALE_NONE: none or not in use */
	__u32 in_ifindex;    /* interface of the first packet: the original direction comes from it, replies from elsewhere */
	/* TCP windows by direction (XG_DIR_*), for RFC 5961 checks of RST, FIN and SYN. */
	__u32 tcp_next[2];   /* sequence number after the highest segment each direction sent */
	__u32 tcp_ack[2];    /* the latest acknowledgement each direction sent */
	__u32 tcp_win[2];    /* the window each direction advertised last, scaled */
	__u8 gw_inst;        /* redirected: the instance of the gateway the flow stays on */
	__u8 pad[7];
};
_Static_assert(sizeof(struct xg_conn) == 144, "xg_conn size");

/* nat_rev key: identifies a redirected connection by what the gateway sees.
 * The gateway port alone is unique per gateway and protocol; with source NAT
 * the (snat_port, gw_port) pair is. */
struct xg_nat_key {
	__u16 gw_id;
	__be16 gw_port;
	__be16 snat_port; /* 0 without source NAT */
	__u8 proto;
	__u8 pad;
};
_Static_assert(sizeof(struct xg_nat_key) == 8, "xg_nat_key size");

/* gateways value, indexed by gateway id. Ports are host order. */
struct xg_gateway {
	__u8 addr6[XG_ADDR_LEN];      /* gateway address for IPv6 flows; zero: none */
	__u8 snat_addr6[XG_ADDR_LEN]; /* source NAT address for IPv6 flows */
	__be32 addr4;                 /* gateway address for IPv4 flows; zero: none */
	__be32 snat_addr4;
	__u16 port_base;       /* gateway port pool: [base, base + count) */
	__u16 port_count;
	__u16 snat_port_base;  /* source NAT pool; count 0 disables source NAT */
	__u16 snat_port_count;
	__u32 ifindex;         /* our end of instance 0's gateway veth (xgw0) */
	__u8 mac[6];           /* MAC of the gateway end (xgw1): destination of redirected frames */
	__u8 local_mac[6];     /* MAC of xgw0: source of redirected frames */
	__u8 flags;            /* XG_GW_F_* */
	__u8 instances;        /* instances running (0 counts as 1), each with its gw_tx, gw_xsks, gw_load slot */
	__u8 pad[2];
	__u32 pool_seed;       /* what the pool search start is hashed with (nat_alloc); chosen by the control plane */
};
_Static_assert(sizeof(struct xg_gateway) == 72, "xg_gateway size");

/* ifaces value, keyed by ifindex. */
struct xg_iface {
	__u8 role;    /* enum xg_role */
	__u8 gw_inst; /* role GATEWAY: which instance of the gateway */
	__u16 gw_id;  /* role GATEWAY: which gateway sits behind this interface */
	__u8 mac[6];  /* this interface's own MAC: restored frames are addressed to it so the stack takes them */
	__u8 flags;   /* XG_IFACE_F_* */
	__u8 pad2[1];
};

/* The interface runs the XDP hook, so the XDP program may forward frames out
 * of it (a NIC's driver, or a veth whose peer runs XDP or GRO, takes them);
 * the tc program may forward out of any managed interface. */
#define XG_IFACE_F_XDP 0x01
_Static_assert(sizeof(struct xg_iface) == 12, "xg_iface size");

/* One bit per rule, plus the range of words that can be non-zero so the AND
 * of several bitmaps only walks the words all of them populate. */
struct xg_bitmap {
	__u16 first; /* index of the first non-zero word */
	__u16 last;  /* index of the last non-zero word */
	__u32 pad;
	__u64 words[XG_BITMAP_WORDS];
};
_Static_assert(sizeof(struct xg_bitmap) == 8 + 8 * XG_BITMAP_WORDS, "xg_bitmap size");

/* src_counts key: the source address of connections' original direction. */
struct xg_src_key {
	__u8 addr[XG_ADDR_LEN];
};
_Static_assert(sizeof(struct xg_src_key) == 16, "xg_src_key size");

/* src_counts value: how many entries and redirected entries a source holds. The
 * kernel counts up on insert and down on its own removals; the control
 * plane's GC recounts from conns every sweep, so drift lasts one sweep. */
struct xg_src_count {
	__u32 conns;
	__u32 redirects;
};
_Static_assert(sizeof(struct xg_src_count) == 8, "xg_src_count size");

/* pol_src / pol_dst LPM key: generation byte, then the address. prefixlen
 * counts the generation's 8 bits, so a wildcard is prefixlen 8. */
struct xg_addr_key {
	__u32 prefixlen;
	__u8 gen;
	__u8 addr[XG_ADDR_LEN];
	__u8 pad[3];
};
_Static_assert(sizeof(struct xg_addr_key) == 24, "xg_addr_key size");

/* pol_port LPM key: generation, protocol, port. prefixlen = 8 (generation)
 * + 8 when the rule names a protocol + the port prefix bits. Port ranges are
 * split into prefixes by the compiler. */
struct xg_port_key {
	__u32 prefixlen;
	__u8 gen;
	__u8 proto;
	__be16 port;
};
_Static_assert(sizeof(struct xg_port_key) == 8, "xg_port_key size");

/* pol_rules value, index gen * XG_MAX_RULES + rule position. */
struct xg_rule {
	__u32 rule_id;  /* id reported in events and connections */
	__u8 action;    /* enum xg_action */
	__u8 pair_off;  /* paired port: a signed offset (two's complement, -16..16, 0: none); a flow
			 * this rule admits expects one more to dport + offset (expect_pair) */
	__u16 gw_id;
};
_Static_assert(sizeof(struct xg_rule) == 8, "xg_rule size");

/* pol_meta value, index generation. */
struct xg_policy_meta {
	__u32 nrules;
	__u8 default_action; /* XG_ACT_DROP or XG_ACT_PASS */
	__u8 wild;           /* XG_POL_WILD_* */
	__u8 pad[2];
};
_Static_assert(sizeof(struct xg_policy_meta) == 8, "xg_policy_meta size");

/* Ring buffer record. */
struct xg_event {
	__u64 ts_ns;
	__u64 conn_id;
	struct xg_tuple orig;
	struct xg_tuple nat; /* zero unless redirected */
	__u32 rule_id;
	__u16 gw_id;
	__u8 type;   /* enum xg_event_type */
	__u8 reason; /* enum xg_stat drop reason for XG_EV_DROP, else 0 */
};
_Static_assert(sizeof(struct xg_event) == 104, "xg_event size");

/* Written with bpf_xdp_adjust_meta in front of every frame redirected to a
 * gateway: what the NAT replaced, so the gateway can restore the view. */
struct xg_meta {
	__u64 conn_id;
	__u8 orig_addr[XG_ADDR_LEN]; /* the server's original address (dst of the original direction) */
	__be16 orig_port;            /* the server's original port */
	__u8 dir;                    /* XG_DIR_* of this frame */
	__u8 flags;                  /* XG_META_F_* */
	__u32 magic;                 /* XG_META_MAGIC, host order */
};
_Static_assert(sizeof(struct xg_meta) == 32, "xg_meta size");

#endif /* XDPGATE_ABI_H */
