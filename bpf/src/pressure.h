/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Shared tables under pressure: no source may hold more than its share of
 * the connection table or of a gateway's port pool (cfg_*_per_src), and when
 * a table or pool is full, entries nobody confirmed make room for a new flow
 * before it is refused, oldest first (netfilter's early_drop reasons the same
 * way). Unconfirmed: never answered, or answered but never spoken to again
 * by the side that opened it (a SYN flood from spoofed addresses: the server
 * answers, the forged client never does). A connection both sides took part
 * in is never evicted.
 */
#ifndef XDPGATE_PRESSURE_H
#define XDPGATE_PRESSURE_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "compat.h"
#include "config.h"
#include "conntrack.h"
#include "maps.h"
#include "stats.h"

/* Ring slots looked at per reclaim, from the oldest on. */
#define XG_RECLAIM_PROBES 8
/* ct_reclaim_unreplied's gateway filter: any entry, not one gateway's. */
#define XG_RECLAIM_ANY 0xffffffff

/* 0, or XG_DROP_SRC_LIMIT when the source already holds its most entries
 * (and, for a redirect, its most pool ports). */
static __always_inline __u32 src_admit(const struct xg_tuple *t, int redirect)
{
	struct xg_src_key k;
	struct xg_src_count *n;

	if (!cfg_conns_per_src && !cfg_redirects_per_src)
		return 0;
	src_key_of(&k, t);
	n = bpf_map_lookup_elem(&src_counts, &k);
	if (!n)
		return 0;
	if (cfg_conns_per_src && n->conns >= cfg_conns_per_src)
		return XG_DROP_SRC_LIMIT;
	if (redirect && cfg_redirects_per_src && n->redirects >= cfg_redirects_per_src)
		return XG_DROP_SRC_LIMIT;
	return 0;
}

/* A new entry for the source of t; its tuple joins the reclaim ring. */
static __always_inline void src_add_and_note(const struct xg_tuple *t, int redirect)
{
	struct xg_src_count fresh = { .conns = 1, .redirects = redirect ? 1 : 0 };
	struct xg_src_key k;
	struct xg_src_count *n;
	__u32 zero = 0, *cursor, slot;

	src_key_of(&k, t);
	n = bpf_map_lookup_elem(&src_counts, &k);
	if (n) {
		__sync_fetch_and_add(&n->conns, 1);
		if (redirect)
			__sync_fetch_and_add(&n->redirects, 1);
	} else {
		/* A table of sources as large as conns is never the one that is full
		 * first; if it is, the count is missing until the GC's recount. */
		bpf_map_update_elem(&src_counts, &k, &fresh, BPF_NOEXIST);
	}

	cursor = bpf_map_lookup_elem(&unreplied_cursor, &zero);
	if (!cursor)
		return;
	slot = __sync_fetch_and_add(cursor, 1) % XG_UNREPLIED_SLOTS;
	bpf_map_update_elem(&unreplied, &slot, t, BPF_ANY);
}

/* Nobody confirmed it: no reply yet, or nothing more from its initiator since. */
static __always_inline int ct_unconfirmed(const struct xg_conn *c)
{
	return !c->packets[XG_DIR_REPLY] || c->packets[XG_DIR_ORIG] < 2;
}

/*
 * Removes one unconfirmed entry, from the oldest of the latest
 * new flows on: for a full table any such entry (XG_RECLAIM_ANY), for a full
 * pool one redirected to that gateway. Returns 1 when one was removed. A
 * global function: the verifier checks its loop once.
 */
__noinline int ct_reclaim_unreplied(struct xg_stats *st, __u32 gw_filter)
{
	__u32 one = 1, *cursor = bpf_map_lookup_elem(&unreplied_cursor, &one);
	__u32 start;

	if (!cursor)
		return 0;
	start = *cursor;
	for (__u32 i = 0; i < XG_RECLAIM_PROBES; i++) {
		__u32 slot = (start + i) % XG_UNREPLIED_SLOTS;
		struct xg_tuple *t = bpf_map_lookup_elem(&unreplied, &slot);
		struct xg_conn *c;

		if (!t || !t->family)
			continue;
		c = bpf_map_lookup_elem(&conns, t);
		if (!c || !ct_unconfirmed(c))
			continue;
		if (gw_filter != XG_RECLAIM_ANY && (c->verdict != XG_ACT_REDIRECT || c->gw_id != gw_filter))
			continue;
		ct_release(t, c);
		t->family = 0; /* the slot is spent */
		__sync_fetch_and_add(cursor, i + 1);
		stat_inc(st, XG_STAT_EARLY_DROP);
		return 1;
	}
	__sync_fetch_and_add(cursor, XG_RECLAIM_PROBES);
	return 0;
}

#endif /* XDPGATE_PRESSURE_H */
