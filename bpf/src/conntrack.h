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
#include "hook.h"
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
	CT_FORWARD = 0,   /* the segment belongs to the connection */
	CT_DROP = 1,      /* the connection is closed to it */
	CT_REOPEN = 2,    /* a new SYN on a finished connection: replace the entry */
	CT_WINDOW = 3,    /* RST, FIN or SYN outside the receiver's window (RFC 5961) */
	CT_INVALID = 4,   /* a segment the connection's state rules out */
};

struct ct_hit {
	struct xg_conn *conn;
	__u8 dir;
};

/*
 * Finds the connection of a packet arriving on ifindex. A connection is
 * bound to the side its first packet came from: its original direction must
 * come from that interface, its replies from any other. A match from the wrong
 * side is ignored (and counted): such a packet is judged as a new flow, so a
 * forged entry can neither pass a packet as its reply nor claim a real
 * connection's tuple.
 */
static __always_inline int ct_lookup(struct xg_stats *st, struct xg_scratch *sc, const struct xg_tuple *tuple,
				     __u32 ifindex, struct ct_hit *hit)
{
	hit->conn = bpf_map_lookup_elem(&conns, tuple);
	hit->dir = XG_DIR_ORIG;
	if (hit->conn) {
		if (hit->conn->in_ifindex == ifindex)
			return 1;
		stat_inc(st, XG_STAT_CT_WRONG_SIDE);
	}
	tuple_reverse(&sc->ct_rev, tuple);
	hit->conn = bpf_map_lookup_elem(&conns, &sc->ct_rev);
	hit->dir = XG_DIR_REPLY;
	if (hit->conn) {
		if (hit->conn->in_ifindex != ifindex)
			return 1;
		stat_inc(st, XG_STAT_CT_WRONG_SIDE);
	}
	hit->conn = 0;
	return 0;
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

/* TCP options are at most 40 bytes; the window scale option is kind 3,
 * length 3 (RFC 7323), and a scale above 14 is taken as 14. */
#define XG_TCP_OPT_MAX 40
#define XG_TCP_OPT_WSCALE 3
#define XG_TCP_WSCALE_MAX 14

/* A walk over a SYN's options, copied out of the packet: bpf_loop's callback
 * is verified once for any step, where an unrolled or bounded loop over the
 * packet would be verified once per path and option length (it cost the
 * verifier over 400,000 instructions). */
struct tcp_opt_walk {
	__u8 buf[XG_TCP_OPT_MAX];
	__u32 len;
	__u32 pos;
	__u8 wscale;
};

static long tcp_opt_step(__u64 index, struct tcp_opt_walk *w)
{
	__u32 pos = w->pos;
	__u8 kind, optlen;

	if (pos >= w->len || pos >= XG_TCP_OPT_MAX)
		return 1;
	kind = w->buf[pos];
	if (kind == 0) /* end of options */
		return 1;
	if (kind == 1) { /* no-operation */
		w->pos = pos + 1;
		return 0;
	}
	if (pos + 1 >= XG_TCP_OPT_MAX || pos + 1 >= w->len)
		return 1;
	optlen = w->buf[pos + 1];
	if (optlen < 2)
		return 1;
	if (kind == XG_TCP_OPT_WSCALE && optlen == 3 && pos + 2 < w->len && pos + 2 < XG_TCP_OPT_MAX) {
		w->wscale = w->buf[pos + 2] > XG_TCP_WSCALE_MAX ? XG_TCP_WSCALE_MAX : w->buf[pos + 2];
		return 1;
	}
	w->pos = pos + optlen;
	return 0;
}

/* The window scale a SYN or SYN-ACK announces; XG_WSCALE_NONE for other
 * segments and for a SYN without the option. */
static __always_inline __u8 tcp_wscale_of(xg_ctx *ctx, const struct xg_pkt *pkt)
{
	struct tcp_opt_walk w = {.wscale = XG_WSCALE_NONE};
	__u32 len = pkt->tcp_hlen - 20;

	if (!(pkt->tcp_flags & XG_TCP_SYN) || pkt->tcp_hlen <= 20 || len > XG_TCP_OPT_MAX)
		return XG_WSCALE_NONE;
	w.len = len;
	if (ctx_load_bytes(ctx, (pkt->l4_off & XG_L4_OFF_MASK) + 20, w.buf, len))
		return XG_WSCALE_NONE;
	bpf_loop(XG_TCP_OPT_MAX, tcp_opt_step, &w, 0);
	return w.wscale;
}

/* src_counts key of a tuple's source. */
static __always_inline void src_key_of(struct xg_src_key *k, const struct xg_tuple *t)
{
	__builtin_memcpy(k->addr, t->saddr, XG_ADDR_LEN);
}

/* One fewer entry for the source of orig (the control plane's GC recounts
 * every sweep, so a lost decrement lasts one sweep). */
static __always_inline void src_sub(const struct xg_tuple *orig, const struct xg_conn *c)
{
	struct xg_src_key k;
	struct xg_src_count *n;

	src_key_of(&k, orig);
	n = bpf_map_lookup_elem(&src_counts, &k);
	if (!n)
		return;
	if (n->conns)
		__sync_fetch_and_add(&n->conns, -1);
	if (c->verdict == XG_ACT_REDIRECT && n->redirects)
		__sync_fetch_and_add(&n->redirects, -1);
}

/* Removes a connection, its NAT slot and its share of the source's count. */
static __always_inline void ct_release(const struct xg_tuple *key, const struct xg_conn *c)
{
	if (c->verdict == XG_ACT_REDIRECT) {
		struct xg_nat_key slot = {
			.gw_id = c->gw_id,
			.gw_port = c->nat.dport,
			.snat_port = (c->flags & XG_CONN_F_SNAT) ? c->nat.sport : 0,
			.proto = c->nat.proto,
		};
		bpf_map_delete_elem(&nat_rev, &slot);
	}
	src_sub(key, c);
	bpf_map_delete_elem(&conns, key);
}

/* 32-bit sequence arithmetic (RFC 1982): a is after b. */
static __always_inline int seq_after(__u32 a, __u32 b)
{
	return (__s32)(a - b) > 0;
}

/* Sequence space a segment takes: its payload, and one each for SYN and FIN. */
static __always_inline __u32 tcp_seg_end(const struct xg_pkt *pkt)
{
	return pkt->tcp_seq + pkt->payload_len + !!(pkt->tcp_flags & XG_TCP_SYN) + !!(pkt->tcp_flags & XG_TCP_FIN);
}

/* Window tracking of a new entry from its first segment. A SYN starts it; a
 * connection picked up mid-stream (cfg_tcp_strict off) has no known windows
 * and is never window-checked. */
static __always_inline void tcp_init(struct xg_conn *c, const struct xg_pkt *pkt, __u8 wscale)
{
	c->tcp_wscale[XG_DIR_REPLY] = XG_WSCALE_NONE;
	c->tcp_wscale[XG_DIR_ORIG] = wscale;
	c->tcp_next[XG_DIR_ORIG] = tcp_seg_end(pkt);
	c->tcp_win[XG_DIR_ORIG] = pkt->tcp_win;
	if ((pkt->tcp_flags & (XG_TCP_SYN | XG_TCP_ACK)) != XG_TCP_SYN)
		c->flags |= XG_CONN_F_PICKUP;
}

/*
 * Whether a segment from direction d starting at seq lies in the receiver's
 * window: within the window the receiver advertised last, around what it
 * acknowledged last ([ack - win, ack + win]). The lower half tolerates a
 * retransmission whose acknowledgement was lost after this firewall saw it.
 */
static __always_inline int tcp_in_window(const struct xg_conn *c, __u8 d, __u32 seq)
{
	__u8 o = (d ^ 1) & 1;
	__u32 win = c->tcp_win[o] ? c->tcp_win[o] : 1;

	return seq - (c->tcp_ack[o] - win) <= 2 * win;
}

/* The receive window a segment from d advertises, scaled (never in a SYN). */
static __always_inline __u32 tcp_scaled_win(const struct xg_conn *c, __u8 d, const struct xg_pkt *pkt)
{
	__u8 shift = c->tcp_wscale[d & 1];

	if ((pkt->tcp_flags & XG_TCP_SYN) || shift == XG_WSCALE_NONE)
		return pkt->tcp_win;
	return (__u32)pkt->tcp_win << (shift & 0xf);
}

/* What a segment from d tells of its sender's sequence space. */
static __always_inline void tcp_learn(struct xg_conn *c, __u8 d, const struct xg_pkt *pkt)
{
	__u32 end = tcp_seg_end(pkt);

	d &= 1;
	if (seq_after(end, c->tcp_next[d]))
		c->tcp_next[d] = end;
	if (pkt->tcp_flags & XG_TCP_ACK) {
		if (seq_after(pkt->tcp_ack, c->tcp_ack[d]) || !c->tcp_ack[d])
			c->tcp_ack[d] = pkt->tcp_ack;
		c->tcp_win[d] = tcp_scaled_win(c, d, pkt);
	}
}

/* The reply's SYN-ACK: it must acknowledge the SYN; it announces the other
 * side's scale, and scaling is in use only when both sides announced one. */
static __always_inline enum ct_verdict tcp_syn_ack(struct xg_conn *c, const struct xg_pkt *pkt, __u8 wscale)
{
	if (!(c->flags & XG_CONN_F_PICKUP) && pkt->tcp_ack != c->tcp_next[XG_DIR_ORIG])
		return CT_INVALID;
	c->tcp_wscale[XG_DIR_REPLY] = wscale;
	if (wscale == XG_WSCALE_NONE || c->tcp_wscale[XG_DIR_ORIG] == XG_WSCALE_NONE) {
		c->tcp_wscale[XG_DIR_ORIG] = XG_WSCALE_NONE;
		c->tcp_wscale[XG_DIR_REPLY] = XG_WSCALE_NONE;
	}
	c->tcp_next[XG_DIR_REPLY] = tcp_seg_end(pkt);
	c->tcp_ack[XG_DIR_REPLY] = pkt->tcp_ack;
	c->tcp_win[XG_DIR_REPLY] = pkt->tcp_win;
	c->tcp_state = XG_TCP_ESTABLISHED;
	return CT_FORWARD;
}

/*
 * RST, FIN and SYN of an opened connection (RFC 5961): a RST closes only at
 * exactly the next sequence number; in the window but not exact it passes
 * and the connection stays (the endpoint answers with a challenge ACK);
 * outside the window, RST, FIN and SYN are dropped.
 */
static __always_inline enum ct_verdict tcp_check_control(struct xg_stats *st, struct xg_conn *c,
							 const struct xg_pkt *pkt, __u8 d, int *rst_closes)
{
	__u8 flags = pkt->tcp_flags;
	__u8 o = (d ^ 1) & 1;

	*rst_closes = 1;
	if ((c->flags & XG_CONN_F_PICKUP) || !(flags & (XG_TCP_RST | XG_TCP_FIN | XG_TCP_SYN)))
		return CT_FORWARD;
	if (c->tcp_state == XG_TCP_SYN_SENT) {
		if (!(flags & XG_TCP_RST))
			return CT_FORWARD;
		/* Before the SYN-ACK only a RST for the SYN is acceptable: the
		 * responder's must acknowledge it (RFC 9293 3.10.7.3), the
		 * initiator's comes at its next sequence number. */
		if (d == XG_DIR_REPLY)
			return (flags & XG_TCP_ACK) && pkt->tcp_ack == c->tcp_next[XG_DIR_ORIG] ? CT_FORWARD : CT_WINDOW;
		return pkt->tcp_seq == c->tcp_next[XG_DIR_ORIG] ? CT_FORWARD : CT_WINDOW;
	}
	if (flags & XG_TCP_RST) {
		if (pkt->tcp_seq == c->tcp_next[d & 1] || pkt->tcp_seq == c->tcp_ack[o])
			return CT_FORWARD;
		if (!tcp_in_window(c, d, pkt->tcp_seq))
			return CT_WINDOW;
		*rst_closes = 0;
		stat_inc(st, XG_STAT_RST_CHALLENGE);
		return CT_FORWARD;
	}
	return tcp_in_window(c, d, pkt->tcp_seq) ? CT_FORWARD : CT_WINDOW;
}

/* Advances the TCP state for a segment of an existing connection. */
static __always_inline enum ct_verdict tcp_track(xg_ctx *ctx, struct xg_stats *st, struct xg_conn *c,
						 const struct xg_pkt *pkt, __u8 dir, int *closed_now)
{
	__u8 flags = pkt->tcp_flags;
	int syn_ack = (flags & (XG_TCP_SYN | XG_TCP_ACK)) == (XG_TCP_SYN | XG_TCP_ACK);
	int new_syn = (flags & (XG_TCP_SYN | XG_TCP_ACK)) == XG_TCP_SYN && dir == XG_DIR_ORIG;
	enum ct_verdict v;
	int rst_closes;

	*closed_now = 0;
	switch (c->tcp_state) {
	case XG_TCP_CLOSED:
		return new_syn ? CT_REOPEN : CT_DROP;
	case XG_TCP_TIME_WAIT:
		/* A new connection on the same tuple while the old one's last
		 * segments may still be about: only with a sequence number past
		 * the old connection's (RFC 1122 4.2.2.13), else it could be a
		 * late duplicate of the old SYN. */
		if (new_syn)
			return (c->flags & XG_CONN_F_PICKUP) || seq_after(pkt->tcp_seq, c->tcp_next[XG_DIR_ORIG])
				? CT_REOPEN : CT_WINDOW;
		if (pkt->payload_len && !(flags & XG_TCP_RST))
			return CT_DROP;
		break;
	default:
		break;
	}

	/* The initiator never sends a SYN-ACK. */
	if (syn_ack && dir == XG_DIR_ORIG)
		return CT_INVALID;
	if (syn_ack && c->tcp_state == XG_TCP_SYN_SENT)
		return tcp_syn_ack(c, pkt, tcp_wscale_of(ctx, pkt));
	/* A retransmitted SYN-ACK of an opened connection is exact. */
	if (syn_ack && !(c->flags & XG_CONN_F_PICKUP) && tcp_seg_end(pkt) == c->tcp_next[XG_DIR_REPLY])
		return CT_FORWARD;
	/* A retransmitted SYN before the answer, possibly with a new initial
	 * sequence number: it restarts the initiator's side. */
	if (new_syn && c->tcp_state == XG_TCP_SYN_SENT) {
		c->tcp_next[XG_DIR_ORIG] = tcp_seg_end(pkt);
		return CT_FORWARD;
	}

	v = tcp_check_control(st, c, pkt, dir, &rst_closes);
	if (v != CT_FORWARD)
		return v;
	tcp_learn(c, dir, pkt);

	if (flags & XG_TCP_RST) {
		if (!rst_closes)
			return CT_FORWARD;
		*closed_now = c->tcp_state != XG_TCP_TIME_WAIT;
		c->tcp_state = XG_TCP_CLOSED;
		return CT_FORWARD;
	}
	/* A SYN in the window of an opened connection passes for the endpoint
	 * to answer (RFC 5961 4.2) and changes nothing here. */
	if (flags & XG_TCP_SYN)
		return CT_FORWARD;
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
