/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Every map of the packet processor. The control plane pins them under
 * /sys/fs/bpf/xdpgate/<name> and reuses them across restarts, so a name or
 * layout change here is an ABI change (see xdpgate_abi.h).
 */
#ifndef XDPGATE_MAPS_H
#define XDPGATE_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "parse.h"

/* Default table sizes; the control plane may resize them before load.
 * 262,144 connections at 152 bytes (key + value) are ~40 MiB preallocated,
 * a fair default for one node; the benchmark's 10^6 NAT tuples need a bump. */
#define XG_CONNS_DEFAULT 262144
#define XG_NAT_DEFAULT 262144

/* Distinct prefixes per policy field, both generations together: 10,240
 * rules with distinct prefixes, the wildcard and the IPv4 root (::ffff:0:0/96,
 * added when an IPv6 prefix covers it), twice. */
#define XG_POL_ADDR_ENTRIES (2 * (XG_MAX_RULES + 2))
/* Port ranges split into up to 30 prefixes each; 64 Ki entries is the cap
 * the policy compiler checks against. */
#define XG_POL_PORT_ENTRIES 65536

/* Connection table, keyed by the tuple of the original direction. A plain
 * hash, not LRU: an LRU would silently evict live flows (and orphan their NAT
 * slots) under pressure; a full table must refuse new flows instead, and the
 * control plane's GC reaps idle entries. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XG_CONNS_DEFAULT);
	__type(key, struct xg_tuple);
	__type(value, struct xg_conn);
} conns SEC(".maps");

/* NAT reverse table: gateway-side identity of a redirected connection ->
 * its original tuple (the conns key). Inserting with BPF_NOEXIST is what
 * claims a pool port atomically. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XG_NAT_DEFAULT);
	__type(key, struct xg_nat_key);
	__type(value, struct xg_tuple);
} nat_rev SEC(".maps");

/* Entries per source address (struct xg_src_count), for cfg_*_per_src. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XG_CONNS_DEFAULT);
	__type(key, struct xg_src_key);
	__type(value, struct xg_src_count);
} src_counts SEC(".maps");

/* The tuples of the latest new flows, a ring: where a full table or pool
 * looks for unreplied entries to reclaim (as netfilter's early_drop does). A
 * slot is a hint, checked against conns. unreplied_cursor[0] is where the
 * next new flow is written, [1] where the next reclaim looks. */
#define XG_UNREPLIED_SLOTS 4096
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XG_UNREPLIED_SLOTS);
	__type(key, __u32);
	__type(value, struct xg_tuple);
} unreplied SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} unreplied_cursor SEC(".maps");

/* Connections an application gateway announced (FTP data channels): exact but
 * for the source port, one-shot (the first packet that matches deletes the
 * entry, and the delete's success is its claim), until expires_ns. Written by
 * user space, deleted by the kernel on use or when found expired (expect.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XG_MAX_EXPECTS);
	__type(key, struct xg_expect_key);
	__type(value, struct xg_expect);
} expects SEC(".maps");

/* Connections a rule's paired port expects (RTP/RTCP style): entries as in
 * expects, written by the kernel for each new flow such a rule admits
 * (expect_pair), claimed the same way after expects. Its own LRU table,
 * because flows the policy allows, spoofed sources included, write it: a
 * flood evicts the oldest pairs rather than taking the gateways' room. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XG_MAX_PAIRS);
	__type(key, struct xg_expect_key);
	__type(value, struct xg_expect);
} pairs SEC(".maps");

/* Gateway descriptions, indexed by gateway id. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XG_MAX_GATEWAYS);
	__type(key, __u32);
	__type(value, struct xg_gateway);
} gateways SEC(".maps");

/* Where redirected frames go: instance slot (gateway id * XG_MAX_INSTANCES +
 * instance) -> ifindex of that instance's veth (xgw0). Configuration, not
 * state: the control plane fills it before attaching and does not pin it (the
 * kernel adds BPF_F_RDONLY_PROG to every devmap, which libbpf 1.1 then reports
 * as a parameter mismatch when reusing the pin). A hash devmap: the kernel
 * binds an array devmap to the program type that first uses it, and the tc
 * program reads this one too. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XG_MAX_GATEWAYS * XG_MAX_INSTANCES);
	__type(key, __u32);
	__type(value, __u32);
} gw_tx SEC(".maps");

/* The interfaces admitted packets may be forwarded to by FIB lookup (the
 * traffic interfaces the control plane attached), ifindex -> ifindex. XDP
 * redirects through it; at tc it only says which egress is managed: traffic
 * to any other interface goes to the stack, whose rules (masquerading, say)
 * may be needed there. Not pinned: rebuilt at every attach. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XG_MAX_FWD_PORTS);
	__type(key, __u32);
	__type(value, __u32);
} fwd_ports SEC(".maps");

/* The AF_XDP socket of each local gateway instance, by instance slot. The
 * kernel removes an entry when its socket closes, so the packet processor sees
 * a crashed instance at once (gw_inst_up) and applies its fail mode. Not
 * pinned: sockets die with the process that registered them. */
struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, XG_MAX_GATEWAYS * XG_MAX_INSTANCES);
	__type(key, __u32);
	__type(value, __u32);
} gw_xsks SEC(".maps");

/* The load each instance reports (its open flows), by instance slot: a new
 * flow goes to the least loaded instance that is up (gw_pick_instance). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XG_MAX_GATEWAYS * XG_MAX_INSTANCES);
	__type(key, __u32);
	__type(value, __u32);
} gw_load SEC(".maps");

/* Interfaces the program is attached to: ifindex -> role. A zero slot is an
 * external interface, the strictest role. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XG_MAX_IFINDEX);
	__type(key, __u32);
	__type(value, struct xg_iface);
} ifaces SEC(".maps");

/* Per-CPU connection id sequence (ids are cpu << 48 | sequence). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} conn_seq SEC(".maps");

/* Policy: per-field rule bitmaps (see policy.h), both generations. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XG_POL_ADDR_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xg_addr_key);
	__type(value, struct xg_bitmap);
} pol_src SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XG_POL_ADDR_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xg_addr_key);
	__type(value, struct xg_bitmap);
} pol_dst SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XG_POL_PORT_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xg_port_key);
	__type(value, struct xg_bitmap);
} pol_port SEC(".maps");

/* Role bitmaps: index gen * XG_ROLE_COUNT + role. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XG_POLICY_GENERATIONS * XG_ROLE_COUNT);
	__type(key, __u32);
	__type(value, struct xg_bitmap);
} pol_role SEC(".maps");

/* What each rule does: index gen * XG_MAX_RULES + position. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XG_POLICY_GENERATIONS * XG_MAX_RULES);
	__type(key, __u32);
	__type(value, struct xg_rule);
} pol_rules SEC(".maps");

/* Rule count and default action, per generation. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XG_POLICY_GENERATIONS);
	__type(key, __u32);
	__type(value, struct xg_policy_meta);
} pol_meta SEC(".maps");

/* Slot 0: the generation that classifies. Writing it is the atomic swap. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} policy_ctl SEC(".maps");

/* Every counter, per CPU; user space sums the CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xg_stats);
} stats SEC(".maps");

/* Per-CPU scratch space for the tuples and the new entry a packet needs:
 * on the 512-byte BPF stack they would not fit along the deepest call chain.
 * XDP never nests on a CPU, and every user has its own field. */
struct xg_scratch {
	/* The packet summary a global function received (bpf/README.md,
	 * "Kernels"): 6.1's helpers take no plain memory as a map key or value,
	 * so each path works on its own copy here. flow_to_gateway runs inside
	 * the others, hence its own. */
	struct xg_pkt pkt;
	struct xg_pkt pkt_to_gw;
	struct xg_conn new_conn;     /* flow_new: the entry being created */
	struct xg_tuple ct_rev;      /* ct_lookup: the reversed tuple */
	struct xg_tuple ev_orig;     /* flow_track: original tuple for events */
	struct xg_tuple gw_to;       /* flow_to_gateway / flow_from_gateway: rewrite target */
	struct xg_tuple gw_orig;     /* ...: the connection's original tuple */
	struct xg_tuple gw_expect;   /* flow_from_gateway: what the gateway must send */
	struct xg_tuple icmp_quote;  /* flow_icmp_error: the packet an ICMP error quotes */
	struct xg_tuple nat_orig;    /* nat_alloc: the tuple a claimed slot maps back to */
	struct xg_tuple nat_owner;   /* nat_alloc: a busy slot's connection */
	struct xg_nat_key nat_slot;  /* nat_alloc: the slot tried, then the one claimed */
	struct xg_expect_key expect_key; /* expect_claim: the expectation the new flow may be */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xg_scratch);
} scratch SEC(".maps");

static __always_inline struct xg_scratch *scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

/* Flow events (struct xg_event). 1 MiB holds ~10,000 events between polls. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

#endif /* XDPGATE_MAPS_H */
