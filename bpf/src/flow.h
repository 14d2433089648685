/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The three paths a parsed packet can take: a packet of a known connection,
 * the first packet of a new flow, and a packet coming back from a gateway.
 *
 * The larger paths are BPF-to-BPF calls (__noinline) rather than inlined:
 * inlined three times, their tuples and the new entry outgrow the 512-byte
 * BPF stack; as calls each frame holds only its own.
 */
#ifndef XDPGATE_FLOW_H
#define XDPGATE_FLOW_H

#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "hook.h"
#include "compat.h"
#include "config.h"
#include "conntrack.h"
#include "expect.h"
#include "gateway.h"
#include "maps.h"
#include "nat.h"
#include "parse.h"
#include "policy.h"
#include "pressure.h"
#include "stats.h"
#include "tuple.h"

/* Sends a packet of a redirected connection to its gateway. */
__noinline int flow_to_gateway(xg_ctx *ctx, struct xg_stats *st, const struct xg_pkt *pkt_arg,
			       const struct xg_conn *c, __u8 dir)
{
	const struct xg_pkt *pkt;
	__u32 gw_id = c ? c->gw_id : 0, slot, *tx;
	struct xg_gateway *gw = bpf_map_lookup_elem(&gateways, &gw_id);
	struct xg_scratch *sc = scratch_get();

	if (!sc || !pkt_arg || !c)
		return verdict_drop(st, XG_DROP_INTERNAL);
	sc->pkt_to_gw = *pkt_arg;
	pkt = &sc->pkt_to_gw;
	if (!gw)
		return verdict_drop(st, XG_DROP_GW_DOWN);
	if (!gw_inst_up(gw, gw_id, c->gw_inst)) {
		/* The gateway relays segments unchanged, so a fail-open flow can go on
		 * directly between the endpoints. */
		if (gw->flags & XG_GW_F_FAIL_OPEN) {
			stat_inc(st, XG_STAT_GW_BYPASS);
			return verdict_pass(st);
		}
		return verdict_drop(st, XG_DROP_GW_DOWN);
	}
	slot = gw_slot(gw_id, c->gw_inst);
	tx = bpf_map_lookup_elem(&gw_tx, &slot);
	if (!tx)
		return verdict_drop(st, XG_DROP_GW_DOWN);

	if (dir == XG_DIR_ORIG)
		__builtin_memcpy(&sc->gw_to, &c->nat, sizeof(sc->gw_to));
	else
		tuple_reverse(&sc->gw_to, &c->nat);
	/* The parser checked every header the rewrite touches, and only TCP and
	 * UDP flows are redirected: a failure here is an entry the kernel never
	 * writes (a corrupted map), not a malformed packet. */
	if (nat_rewrite(ctx, pkt, &sc->gw_to) || set_macs(ctx, gw->mac, gw->local_mac))
		return verdict_drop(st, XG_DROP_INTERNAL);
	/* The gateway end of the veth tells the gateway the original tuple
	 * (xsk.h): the frame carries only the NAT tuple. */
	stat_inc(st, XG_STAT_REDIRECT);
	return ctx_redirect(&gw_tx, slot, *tx);
}

enum store_result {
	STORED = 0,
	STORE_LOST_RACE = 1, /* another CPU created the same flow a moment ago: that entry wins */
	STORE_FULL = 2,      /* the connection table is full */
};

static __always_inline enum store_result flow_store(const struct xg_tuple *key, const struct xg_conn *c)
{
	int err = map_insert(&conns, key, c);

	if (!err)
		return STORED;
	return err == -XG_EEXIST ? STORE_LOST_RACE : STORE_FULL;
}

/* A pass flow whose tuple another CPU stored a moment ago: that entry wins,
 * unless it was started from another interface (a connection bound to the
 * other side holds this tuple: the packet may not take it). */
static __always_inline int flow_lost_race(xg_ctx *ctx, struct xg_stats *st, const struct xg_pkt *pkt)
{
	struct xg_conn *winner = bpf_map_lookup_elem(&conns, &pkt->tuple);

	if (winner && winner->in_ifindex != ctx_ifindex(ctx))
		return verdict_drop(st, XG_DROP_CT_SIDE);
	return verdict_pass(st);
}

static __always_inline int flow_refuse(struct xg_stats *st, const struct xg_pkt *pkt, __u32 reason,
				       __u32 rule_id, __u16 gw_id)
{
	event_emit(st, XG_EV_DROP, reason, 0, &pkt->tuple, 0, rule_id, gw_id);
	return verdict_drop(st, reason);
}

/* First packet of a flow: an expectation or the rules decide, then pass,
 * redirect or refuse; an admitted flow whose rule has a paired port expects
 * its neighbour (expect_pair). */
__noinline int flow_new(xg_ctx *ctx, struct xg_stats *st, const struct xg_pkt *pkt_arg, __u8 role)
{
	const struct xg_pkt *pkt;
	__u64 now = bpf_ktime_get_coarse_ns();
	struct xg_scratch *sc = scratch_get();
	struct xg_gateway *gw = 0;
	struct xg_nat_key slot;
	struct xg_rule rule;
	enum store_result stored;
	struct xg_conn *c;
	__u32 gw_id, err;
	int inst = 0;
	__u8 verdict;

	if (!sc || !pkt_arg)
		return verdict_drop(st, XG_DROP_INTERNAL);
	sc->pkt = *pkt_arg;
	pkt = &sc->pkt;
	c = &sc->new_conn;

	if (pkt->tuple.proto == IPPROTO_TCP && cfg_tcp_strict &&
	    (pkt->tcp_flags & (XG_TCP_SYN | XG_TCP_ACK)) != XG_TCP_SYN)
		return verdict_drop(st, XG_DROP_TCP_NO_CONN);

	/* An expected flow (expect.h) is admitted by its expectation, not the rules. */
	if (!expect_claim(st, pkt, now, &rule))
		policy_classify(pkt, role, &rule);
	if (rule.action == XG_ACT_REDIRECT && pkt->tuple.proto != IPPROTO_TCP &&
	    pkt->tuple.proto != IPPROTO_UDP)
		rule.action = XG_ACT_DROP; /* only TCP and UDP have ports to NAT */
	if (rule.action != XG_ACT_PASS && rule.action != XG_ACT_REDIRECT)
		return flow_refuse(st, pkt, rule.rule_id == XG_RULE_DEFAULT ? XG_DROP_DEFAULT : XG_DROP_POLICY,
				   rule.rule_id, 0);

	verdict = rule.action;
	gw_id = rule.gw_id;
	if (verdict == XG_ACT_REDIRECT) {
		gw = bpf_map_lookup_elem(&gateways, &gw_id);
		if (!gw)
			return flow_refuse(st, pkt, XG_DROP_GW_DOWN, rule.rule_id, gw_id);
		inst = gw_pick_instance(gw, gw_id);
		if (inst < 0) {
			if (!(gw->flags & XG_GW_F_FAIL_OPEN))
				return flow_refuse(st, pkt, XG_DROP_GW_DOWN, rule.rule_id, gw_id);
			stat_inc(st, XG_STAT_GW_BYPASS);
			verdict = XG_ACT_PASS;
		}
	}

	err = src_admit(&pkt->tuple, verdict == XG_ACT_REDIRECT);
	if (err)
		return flow_refuse(st, pkt, err, rule.rule_id, gw_id);

	ct_init(c, pkt, verdict, rule.rule_id, gw_id, role, now);
	c->in_ifindex = ctx_ifindex(ctx);
	c->gw_inst = inst > 0 ? inst : 0;
	if (pkt->tuple.proto == IPPROTO_TCP)
		tcp_init(c, pkt, tcp_wscale_of(ctx, pkt));
	ct_account(c, XG_DIR_ORIG, ctx_len(ctx), now);

	if (verdict == XG_ACT_PASS) {
		stored = flow_store(&pkt->tuple, c);
		if (stored == STORE_FULL && ct_reclaim_unreplied(st, XG_RECLAIM_ANY))
			stored = flow_store(&pkt->tuple, c);
		if (stored == STORE_LOST_RACE)
			return flow_lost_race(ctx, st, pkt);
		if (stored == STORE_FULL)
			return flow_refuse(st, pkt, XG_DROP_CONN_FULL, rule.rule_id, gw_id);
		src_add_and_note(&pkt->tuple, 0);
		stat_inc(st, XG_STAT_NEW_FLOW);
		event_emit(st, XG_EV_NEW, 0, c->id, &pkt->tuple, 0, rule.rule_id, gw_id);
		expect_pair(st, pkt, &rule, c->id, now);
		return verdict_pass(st);
	}

	if (!gw)
		return verdict_drop(st, XG_DROP_GW_DOWN);
	err = nat_alloc(&pkt->tuple, gw_id, gw, &c->nat, &slot);
	if (err == XG_DROP_POOL_EXHAUSTED && ct_reclaim_unreplied(st, gw_id))
		err = nat_alloc(&pkt->tuple, gw_id, gw, &c->nat, &slot);
	if (err)
		return flow_refuse(st, pkt, err, rule.rule_id, gw_id);
	if (gw->snat_port_count)
		c->flags |= XG_CONN_F_SNAT;
	stored = flow_store(&pkt->tuple, c);
	if (stored == STORE_FULL && ct_reclaim_unreplied(st, XG_RECLAIM_ANY))
		stored = flow_store(&pkt->tuple, c);
	if (stored != STORED) {
		struct xg_conn *winner;

		bpf_map_delete_elem(&nat_rev, &slot);
		if (stored == STORE_FULL)
			return flow_refuse(st, pkt, XG_DROP_CONN_FULL, rule.rule_id, gw_id);
		winner = bpf_map_lookup_elem(&conns, &pkt->tuple);
		if (winner && winner->in_ifindex != ctx_ifindex(ctx))
			return verdict_drop(st, XG_DROP_CT_SIDE);
		if (!winner || winner->verdict != XG_ACT_REDIRECT)
			return verdict_pass(st);
		return flow_to_gateway(ctx, st, pkt, winner, XG_DIR_ORIG);
	}
	src_add_and_note(&pkt->tuple, 1);
	stat_inc(st, XG_STAT_NEW_FLOW);
	event_emit(st, XG_EV_REDIRECT, 0, c->id, &pkt->tuple, &c->nat, rule.rule_id, gw_id);
	expect_pair(st, pkt, &rule, c->id, now);
	return flow_to_gateway(ctx, st, pkt, c, XG_DIR_ORIG);
}

/* flow_track's answer when the packet starts a flow: the caller runs
 * flow_new (a sibling call, not a nested one, keeps the stack shallow). */
#define XG_FLOW_NEW 0x100

/* A packet from an external or internal interface that may belong to a
 * connection. Returns a verdict (XG_VERDICT_*, a redirect) or XG_FLOW_NEW. */
__noinline int flow_track(xg_ctx *ctx, struct xg_stats *st, const struct xg_pkt *pkt_arg, __u8 role)
{
	const struct xg_pkt *pkt;
	__u64 now = bpf_ktime_get_coarse_ns();
	struct xg_scratch *sc = scratch_get();
	struct ct_hit hit;
	struct xg_conn *c;

	if (!sc || !pkt_arg)
		return verdict_drop(st, XG_DROP_INTERNAL);
	sc->pkt = *pkt_arg;
	pkt = &sc->pkt;
	if (!ct_lookup(st, sc, &pkt->tuple, ctx_ifindex(ctx), &hit))
		return XG_FLOW_NEW;
	c = hit.conn;

	if (pkt->tuple.proto == IPPROTO_TCP) {
		int closed_now;
		enum ct_verdict v = tcp_track(ctx, st, c, pkt, hit.dir, &closed_now);

		if (v == CT_DROP)
			return verdict_drop(st, XG_DROP_TCP_CLOSED);
		if (v == CT_WINDOW)
			return verdict_drop(st, XG_DROP_TCP_WINDOW);
		if (v == CT_INVALID)
			return verdict_drop(st, XG_DROP_TCP_INVALID);
		if (v == CT_REOPEN) {
			ct_release(&pkt->tuple, c);
			return XG_FLOW_NEW;
		}
		if (closed_now) {
			if (hit.dir == XG_DIR_ORIG)
				__builtin_memcpy(&sc->ev_orig, &pkt->tuple, sizeof(sc->ev_orig));
			else
				tuple_reverse(&sc->ev_orig, &pkt->tuple);
			stat_inc(st, XG_STAT_CLOSED);
			/* c->nat is all zero unless the flow was redirected. */
			event_emit(st, XG_EV_CLOSED, 0, c->id, &sc->ev_orig, &c->nat, c->rule_id, c->gw_id);
		}
	}
	ct_account(c, hit.dir, ctx_len(ctx), now);
	stat_inc(st, XG_STAT_ESTABLISHED);
	if (hit.dir == XG_DIR_REPLY)
		stat_inc(st, XG_STAT_REPLY);
	if (c->verdict == XG_ACT_REDIRECT)
		return flow_to_gateway(ctx, st, pkt, c, hit.dir);
	return verdict_pass(st);
}

/* ICMP other than echo: the policy decides per packet, nothing is tracked. */
__noinline int flow_stateless(struct xg_stats *st, const struct xg_pkt *pkt, __u8 role)
{
	struct xg_rule rule;

	if (!pkt)
		return verdict_drop(st, XG_DROP_INTERNAL);
	policy_classify(pkt, role, &rule);
	if (rule.action != XG_ACT_PASS)
		return flow_refuse(st, pkt, rule.rule_id == XG_RULE_DEFAULT ? XG_DROP_DEFAULT : XG_DROP_POLICY,
				   rule.rule_id, 0);
	stat_inc(st, XG_STAT_STATELESS);
	return verdict_pass(st);
}

/*
 * The tuple of the packet an ICMP error quotes: its IP header and first 8
 * bytes after the ICMP header (RFC 792, RFC 4443). 0, or -1 when the quote is
 * cut short or names something that is never tracked. IPv6 quotes are read
 * without extension headers (a quote with one is not matched).
 */
static __always_inline int icmp_quoted_tuple(xg_ctx *ctx, const struct xg_pkt *pkt, struct xg_tuple *t)
{
	void *data = ctx_data(ctx);
	void *end = ctx_end(ctx);
	__u32 off = (pkt->l4_off & XG_L4_OFF_MASK) + sizeof(struct xg_icmp_hdr);
	__u32 l4;
	__u8 proto;

	__builtin_memset(t, 0, sizeof(*t));
	t->family = pkt->tuple.family;
	if (pkt->tuple.family == XG_FAMILY_IPV4) {
		struct iphdr *ip = data + (off & 0x3ff);

		if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
			return -1;
		addr_from_v4(t->saddr, ip->saddr);
		addr_from_v4(t->daddr, ip->daddr);
		proto = ip->protocol;
		l4 = off + ip->ihl * 4;
	} else {
		struct ipv6hdr *ip6 = data + (off & 0x3ff);

		if ((void *)(ip6 + 1) > end || ip6->version != 6)
			return -1;
		__builtin_memcpy(t->saddr, &ip6->saddr, XG_ADDR_LEN);
		__builtin_memcpy(t->daddr, &ip6->daddr, XG_ADDR_LEN);
		proto = ip6->nexthdr;
		l4 = off + sizeof(*ip6);
	}
	t->proto = proto;
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		__be16 *ports = data + (l4 & 0x3ff);

		if ((void *)(ports + 2) > end)
			return -1;
		t->sport = ports[0];
		t->dport = ports[1];
		return 0;
	}
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		struct xg_icmp_hdr *ih = data + (l4 & 0x3ff);

		if ((void *)(ih + 1) > end)
			return -1;
		if (ih->type == XG_ICMP_ECHO || ih->type == XG_ICMP6_ECHO_REQUEST)
			t->sport = ih->echo_id;
		else if (ih->type == XG_ICMP_ECHOREPLY || ih->type == XG_ICMP6_ECHO_REPLY)
			t->dport = ih->echo_id;
		else
			return -1;
		return 0;
	}
	return -1;
}

/*
 * An ICMP or ICMPv6 error (unreachable, too big, time exceeded, parameter
 * problem) passes only as RELATED: it must quote a packet of a known
 * connection, be addressed to that packet's sender and come from the side
 * that packet was going to. Nothing else may pass as an error: a forged
 * "unreachable" can otherwise tear down connections, and errors carry
 * enough of a quote to probe what is behind the firewall.
 */
__noinline int flow_icmp_error(xg_ctx *ctx, struct xg_stats *st, const struct xg_pkt *pkt_arg)
{
	struct xg_scratch *sc = scratch_get();
	const struct xg_pkt *pkt;
	struct xg_conn *c;

	if (!sc || !pkt_arg)
		return verdict_drop(st, XG_DROP_INTERNAL);
	sc->pkt = *pkt_arg;
	pkt = &sc->pkt;
	if (icmp_quoted_tuple(ctx, pkt, &sc->icmp_quote) ||
	    !addr_equal(sc->icmp_quote.saddr, pkt->tuple.daddr))
		return verdict_drop(st, XG_DROP_ICMP_UNRELATED);

	/* The quoted packet went in the connection's original direction: the
	 * error comes from the far side. */
	c = bpf_map_lookup_elem(&conns, &sc->icmp_quote);
	if (c && c->in_ifindex != ctx_ifindex(ctx)) {
		stat_inc(st, XG_STAT_ICMP_RELATED);
		return verdict_pass(st);
	}
	/* It was a reply: the error comes from the connection's own side. */
	tuple_reverse(&sc->ct_rev, &sc->icmp_quote);
	c = bpf_map_lookup_elem(&conns, &sc->ct_rev);
	if (c && c->in_ifindex == ctx_ifindex(ctx)) {
		stat_inc(st, XG_STAT_ICMP_RELATED);
		return verdict_pass(st);
	}
	return verdict_drop(st, XG_DROP_ICMP_UNRELATED);
}

/*
 * A packet coming back from a gateway (loop prevention: it is never
 * classified or redirected again). It must belong to a NAT entry; it is
 * restored to the original tuple and handed to the stack, addressed to the
 * gateway veth's own MAC so the stack takes it and forwards it.
 */
__noinline int flow_from_gateway(xg_ctx *ctx, struct xg_stats *st, const struct xg_pkt *pkt_arg,
				 const struct xg_iface *ifc)
{
	const struct xg_pkt *pkt;
	__u32 gw_id = ifc ? ifc->gw_id : 0;
	struct xg_gateway *gw = bpf_map_lookup_elem(&gateways, &gw_id);
	struct xg_scratch *sc = scratch_get();
	struct xg_nat_key key;
	struct xg_tuple *found;
	struct xg_conn *c;
	__u8 dir;

	if (!sc || !pkt_arg || !ifc)
		return verdict_drop(st, XG_DROP_INTERNAL);
	sc->pkt = *pkt_arg;
	pkt = &sc->pkt;
	if (!gw || nat_gw_key(gw, gw_id, &pkt->tuple, &key, &dir))
		return verdict_drop(st, XG_DROP_GW_UNKNOWN);

	found = bpf_map_lookup_elem(&nat_rev, &key);
	if (!found)
		return verdict_drop(st, XG_DROP_GW_UNKNOWN);
	__builtin_memcpy(&sc->gw_orig, found, sizeof(sc->gw_orig));
	c = bpf_map_lookup_elem(&conns, &sc->gw_orig);
	if (!c)
		return verdict_drop(st, XG_DROP_GW_UNKNOWN);

	if (dir == XG_DIR_ORIG) {
		__builtin_memcpy(&sc->gw_expect, &c->nat, sizeof(sc->gw_expect));
		__builtin_memcpy(&sc->gw_to, &sc->gw_orig, sizeof(sc->gw_to));
	} else {
		tuple_reverse(&sc->gw_expect, &c->nat);
		tuple_reverse(&sc->gw_to, &sc->gw_orig);
	}
	if (!tuple_equal(&pkt->tuple, &sc->gw_expect))
		return verdict_drop(st, XG_DROP_GW_MISMATCH);

	if (nat_rewrite(ctx, pkt, &sc->gw_to) || set_macs(ctx, ifc->mac, 0))
		return verdict_drop(st, XG_DROP_INTERNAL);
	/* A gateway's RST (its deny) closes the connection for both ends. A flow
	 * in time-wait was counted and reported closed already (as in tcp_track). */
	if (pkt->tuple.proto == IPPROTO_TCP && (pkt->tcp_flags & XG_TCP_RST) &&
	    c->tcp_state != XG_TCP_CLOSED) {
		if (c->tcp_state != XG_TCP_TIME_WAIT) {
			stat_inc(st, XG_STAT_CLOSED);
			event_emit(st, XG_EV_CLOSED, 0, c->id, &sc->gw_orig, &c->nat, c->rule_id, c->gw_id);
		}
		c->tcp_state = XG_TCP_CLOSED;
	}
	stat_inc(st, XG_STAT_GW_RESTORED);
	return verdict_pass(st);
}

#endif /* XDPGATE_FLOW_H */
