/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Connection tracking: one entry per flow keyed by the tuple of its first
 * packet; a packet finds it under its own tuple (original direction) or the
 * reversed one (reply). TCP state follows SYN / SYN-ACK / FIN / RST so that
 * the end of a connection "closes the doors": after RST nothing but a new SYN
 * passes, after FIN from both sides only segments without data do.
 * Idle entries are reaped by the control plane's GC, which reads last_seen.
 */
#ifndef XDPGATE_CONNTRACK_H
#define XDPGATE_CONNTRACK_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "maps.h"
#include "parse.h"
#include "stats.h"
#include "tuple.h"

/* last_seen is refreshed at most once a second: GC timeouts are tens of
 * seconds, and skipping the store keeps the entry's cache line clean when
 * several CPUs carry one flow. */
#define XG_TOUCH_NS 1000000000ULL

/* Connection ids: the CPU in the top 16 bits, a per-CPU sequence below, so
 * ids are unique without an atomic on a shared counter. */
#define XG_CONN_ID_CPU_SHIFT 48

/* What tcp_track decided. */
enum ct_verdict {
	CT_FORWARD = 0, /* the segment belongs to the connection */
	CT_DROP = 1,    /* the connection is closed to it */
	CT_REOPEN = 2,  /* a new SYN on a finished connection: replace the entry */
};

struct ct_hit {
	struct xg_conn *conn;
	__u8 dir;
};

static __always_inline int ct_lookup(struct xg_scratch *sc, const struct xg_tuple *tuple, struct ct_hit *hit)
{
	hit->conn = bpf_map_lookup_elem(&conns, tuple);
	if (hit->conn) {
		hit->dir = XG_DIR_ORIG;
		return 1;
	}
	tuple_reverse(&sc->ct_rev, tuple);
	hit->conn = bpf_map_lookup_elem(&conns, &sc->ct_rev);
	hit->dir = XG_DIR_REPLY;
	return hit->conn != 0;
}

static __always_inline __u64 ct_next_id(void)
{
	__u32 zero = 0;
	__u64 *seq = bpf_map_lookup_elem(&conn_seq, &zero);
	__u64 n = 0;

	if (seq)
		n = ++(*seq);
	return ((__u64)bpf_get_smp_processor_id() << XG_CONN_ID_CPU_SHIFT) | n;
}

static __always_inline void ct_account(struct xg_conn *c, __u8 dir, __u32 bytes, __u64 now)
{
	dir &= 1;
	c->packets[dir]++;
	c->bytes[dir] += bytes;
	if (now - c->last_seen_ns > XG_TOUCH_NS)
		c->last_seen_ns = now;
}

/* Builds a fresh entry for the packet's tuple. */
static __always_inline void ct_init(struct xg_conn *c, const struct xg_pkt *pkt, __u8 verdict,
				    __u32 rule_id, __u16 gw_id, __u8 role, __u64 now)
{
	__builtin_memset(c, 0, sizeof(*c));
	c->id = ct_next_id();
	c->created_ns = now;
	c->last_seen_ns = now;
	c->rule_id = rule_id;
	c->gw_id = gw_id;
	c->verdict = verdict;
	c->in_role = role;
	c->tcp_state = pkt->tuple.proto == IPPROTO_TCP ? XG_TCP_SYN_SENT : XG_TCP_NONE;
}

/* Advances the TCP state for a segment of an existing connection. */
static __always_inline enum ct_verdict tcp_track(struct xg_stats *st, struct xg_conn *c,
						 const struct xg_pkt *pkt, __u8 dir, int *closed_now)
{
	__u8 flags = pkt->tcp_flags;
	int new_syn = (flags & (XG_TCP_SYN | XG_TCP_ACK)) == XG_TCP_SYN && dir == XG_DIR_ORIG;

	*closed_now = 0;
	switch (c->tcp_state) {
	case XG_TCP_CLOSED:
		return new_syn ? CT_REOPEN : CT_DROP;
	case XG_TCP_TIME_WAIT:
		if (new_syn)
			return CT_REOPEN;
		if (pkt->payload_len && !(flags & XG_TCP_RST))
			return CT_DROP;
		break;
	case XG_TCP_SYN_SENT:
		if (dir == XG_DIR_REPLY && (flags & (XG_TCP_SYN | XG_TCP_ACK)) == (XG_TCP_SYN | XG_TCP_ACK))
			c->tcp_state = XG_TCP_ESTABLISHED;
		break;
	default:
		break;
	}

	if (flags & XG_TCP_RST) {
		*closed_now = c->tcp_state != XG_TCP_TIME_WAIT;
		c->tcp_state = XG_TCP_CLOSED;
		return CT_FORWARD;
	}
	if (flags & XG_TCP_FIN) {
		c->flags |= dir == XG_DIR_ORIG ? XG_CONN_F_FIN_ORIG : XG_CONN_F_FIN_REPLY;
		if ((c->flags & (XG_CONN_F_FIN_ORIG | XG_CONN_F_FIN_REPLY)) ==
		    (XG_CONN_F_FIN_ORIG | XG_CONN_F_FIN_REPLY)) {
			*closed_now = c->tcp_state != XG_TCP_TIME_WAIT;
			c->tcp_state = XG_TCP_TIME_WAIT;
		} else {
			c->tcp_state = XG_TCP_FIN_WAIT;
		}
	}
	return CT_FORWARD;
}

#endif /* XDPGATE_CONNTRACK_H */
