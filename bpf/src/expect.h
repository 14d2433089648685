/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Expected connections: an application gateway (FTP) announces the one new
 * connection its protocol is about to open (a data channel): exact source
 * and destination address, destination port and protocol, any source port.
 * The first packet of that flow (TCP: the SYN; UDP: the first datagram) is
 * then admitted with the expectation's action, pass or redirect to its
 * gateway, instead of the rules' (flow_new: the gateway checks, fail mode,
 * pool and tables that follow are the same as for a rule).
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
#include "maps.h"
#include "parse.h"
#include "stats.h"

/* 1 when the packet claimed an expectation: *rule then holds its action,
 * gateway and rule id. 0 when the rules must classify it. A global function,
 * like policy_classify: both leave *rule unknown to the verifier, so the rest
 * of flow_new is verified once for either (inlined, the program took 47% more
 * instructions to verify: bpf/README.md, "Kernels"). Its key is built in
 * scratch: 6.1 takes no plain memory as a map key. */
__noinline int expect_claim(struct xg_stats *st, const struct xg_pkt *pkt, __u64 now, struct xg_rule *rule)
{
	struct xg_scratch *sc = scratch_get();
	struct xg_expect_key *key;
	struct xg_expect *e;
	__u64 expires;
	__u32 rule_id;
	__u16 gw_id;
	__u8 action;

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

	e = bpf_map_lookup_elem(&expects, key);
	if (!e)
		return 0;
	/* Read before the delete: a deleted element's memory may be reused at
	 * once by an insert on another CPU. */
	expires = e->expires_ns;
	rule_id = e->rule_id;
	gw_id = e->gw_id;
	action = e->action;
	if (now > expires) {
		/* Counted by the CPU whose delete removed it, so once. */
		if (!bpf_map_delete_elem(&expects, key))
			stat_inc(st, XG_STAT_EXPECT_EXPIRED);
		return 0;
	}
	/* Only pass and redirect are expectations; anything else is an entry
	 * user space never writes, left to expire: the rules decide. */
	if (action != XG_ACT_PASS && action != XG_ACT_REDIRECT)
		return 0;
	if (bpf_map_delete_elem(&expects, key))
		return 0; /* another CPU's packet claimed it first */
	rule->rule_id = rule_id;
	rule->action = action;
	rule->pad = 0;
	rule->gw_id = gw_id;
	stat_inc(st, XG_STAT_EXPECT_HIT);
	return 1;
}

#endif /* XDPGATE_EXPECT_H */
