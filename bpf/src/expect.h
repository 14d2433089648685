/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Expected connections: an application gateway (FTP) announces the one new
 * connection its protocol is about to open (a data channel): exact source
 * and destination address, destination port and protocol, any source port.
 * The first packet of that flow (TCP: the SYN; UDP: the first datagram) is
 * then admitted with the expectation's action, pass or redirect to its
 * gateway, instead of the rules' (flow_new: the gateway checks, fail mode,
 * pool and tables that follow are the same as for a rule). A rule's paired
 * port writes the same kind of entry itself (expect_pair), into a table of
 * its own (pairs), claimed after the gateways'.
 *
 * One-shot: the packet that matches deletes the entry, and only the CPU whose
 * delete succeeded uses it, so two flows racing for one expectation cannot
 * both get it. An expectation past its time is deleted where it is found and
 * the flow classified by the rules. parent_id is not read here: it is the
 * gateway's, and xg_event has no field for it yet.
 */
#ifndef XDPGATE_EXPECT_H
#define XDPGATE_EXPECT_H

#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "compat.h"
#include "maps.h"
#include "parse.h"
#include "stats.h"
#include "config.h"

/* 1 when the expectation in map under key, if any, is this packet's: claimed
 * by its delete, its action, gateway and rule id then in *rule. An expired
 * one is deleted and counted by the CPU whose delete removed it, so once. */
static __always_inline int expect_take(void *map, const struct xg_expect_key *key, struct xg_stats *st,
				       __u64 now, struct xg_rule *rule)
{
	struct xg_expect *e = bpf_map_lookup_elem(map, key);
	__u64 expires;
	__u32 rule_id;
	__u16 gw_id;
	__u8 action;

	if (!e)
		return 0;
	/* Read before the delete: a deleted element's memory may be reused at
	 * once by an insert on another CPU. */
	expires = e->expires_ns;
	rule_id = e->rule_id;
	gw_id = e->gw_id;
	action = e->action;
	if (now > expires) {
		if (!bpf_map_delete_elem(map, key))
			stat_inc(st, XG_STAT_EXPECT_EXPIRED);
		return 0;
	}
	/* Only pass and redirect are expectations; anything else is an entry
	 * user space never writes, left to expire: the rules decide. */
	if (action != XG_ACT_PASS && action != XG_ACT_REDIRECT)
		return 0;
	if (bpf_map_delete_elem(map, key))
		return 0; /* another CPU's packet claimed it first */
	rule->rule_id = rule_id;
	rule->action = action;
	rule->pair_off = 0; /* an expected flow opens no pair: pairs do not chain */
	rule->gw_id = gw_id;
	return 1;
}

/* 1 when the packet claimed an expectation, a gateway's (expects) before a
 * paired port's (pairs): *rule then holds its action, gateway and rule id.
 * 0 when the rules must classify it. A global function, like
 * policy_classify: both leave *rule unknown to the verifier, so the rest of
 * flow_new is verified once for either (inlined, the program took 47% more
 * instructions to verify: bpf/README.md, "Kernels"). Its key is built in
 * scratch: 6.1 takes no plain memory as a map key. */
__noinline int expect_claim(struct xg_stats *st, const struct xg_pkt *pkt, __u64 now, struct xg_rule *rule)
{
	struct xg_scratch *sc = scratch_get();
	struct xg_expect_key *key;

	if (!sc || !pkt || !rule)
		return 0;
	key = &sc->expect_key;
	/* Only what opens a flow claims: with tcp-strict off a mid-stream segment
	 * reaches flow_new too, and must not spend the expectation. */
	if (pkt->tuple.proto == IPPROTO_TCP) {
		if ((pkt->tcp_flags & (XG_TCP_SYN | XG_TCP_ACK)) != XG_TCP_SYN)
			return 0;
	} else if (pkt->tuple.proto != IPPROTO_UDP) {
		return 0;
	}
	__builtin_memcpy(key->saddr, pkt->tuple.saddr, XG_ADDR_LEN);
	__builtin_memcpy(key->daddr, pkt->tuple.daddr, XG_ADDR_LEN);
	key->dport = pkt->tuple.dport;
	key->proto = pkt->tuple.proto;
	key->family = pkt->tuple.family;

	if (!expect_take(&expects, key, st, now, rule) && !expect_take(&pairs, key, st, now, rule))
		return 0;
	stat_inc(st, XG_STAT_EXPECT_HIT);
	return 1;
}

/* A rule with a paired port (pair_off, RTP/RTCP style) just admitted a new
 * flow, conn id parent_id: the same source may now open one flow to the same
 * destination at dport + offset, with the same protocol, action and gateway,
 * within cfg_pair_ttl_ns, in pairs. Never overwrites (map_insert: BPF_NOEXIST):
 * an earlier flow's pair for that port stays as it is; a gateway's expectation
 * (expects) for it is claimed first anyway.
 * Global for the same reason as expect_claim: *rule stays unknown. */
__noinline int expect_pair(struct xg_stats *st, const struct xg_pkt *pkt, const struct xg_rule *rule,
			   __u64 parent_id, __u64 now)
{
	struct xg_scratch *sc = scratch_get();
	struct xg_expect_key *key;
	struct xg_expect e = {};
	__s32 port;

	if (!sc || !pkt || !rule || !rule->pair_off)
		return 0;
	if ((pkt->tuple.proto != IPPROTO_TCP && pkt->tuple.proto != IPPROTO_UDP) ||
	    (rule->action != XG_ACT_PASS && rule->action != XG_ACT_REDIRECT))
		return 0;
	port = (__s32)bpf_ntohs(pkt->tuple.dport) + (__s8)rule->pair_off;
	if (port < 1 || port > 65535) {
		stat_inc(st, XG_STAT_PAIR_FAILED);
		return 0;
	}
	key = &sc->expect_key;
	__builtin_memcpy(key->saddr, pkt->tuple.saddr, XG_ADDR_LEN);
	__builtin_memcpy(key->daddr, pkt->tuple.daddr, XG_ADDR_LEN);
	key->dport = bpf_htons((__u16)port);
	key->proto = pkt->tuple.proto;
	key->family = pkt->tuple.family;
	e.expires_ns = now + cfg_pair_ttl_ns;
	e.parent_id = parent_id;
	e.rule_id = rule->rule_id;
	e.gw_id = rule->gw_id;
	e.action = rule->action;
	if (map_insert(&pairs, key, &e)) {
		stat_inc(st, XG_STAT_PAIR_FAILED);
		return 0;
	}
	stat_inc(st, XG_STAT_PAIR_EXPECTED);
	return 1;
}

#endif /* XDPGATE_EXPECT_H */
