/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Rule classification of a new flow, with a cost that does not grow with the
 * number of rules in the common case (bpf-iptables' linear bit vector
 * search): one lookup per field yields a bitmap of the rules that field
 * allows, the AND of the bitmaps holds every rule that matches, and the
 * lowest set bit is the first match. Each bitmap knows the range of words it
 * populates, so only the words all fields populate are ANDed.
 *
 * Fields: source prefix, destination prefix (LPM tries), protocol + port
 * (LPM trie over proto << 16 | port; ICMP matches its type as the port) and
 * the ingress interface role (array). The policy compiler in Java builds the
 * bitmaps; see datapath/.../policy/PolicyCompiler.java. A field no rule
 * constrains (pol_meta's wild flags) is not looked up at all.
 */
#ifndef XDPGATE_POLICY_H
#define XDPGATE_POLICY_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdpgate_abi.h"
#include "maps.h"
#include "parse.h"

/* Index of the lowest set bit of a non-zero word (BPF has no ctz). */
static __always_inline __u32 lowest_bit(__u64 w)
{
	__u32 n = 0;

	if (!(w & 0xffffffffULL)) { n += 32; w >>= 32; }
	if (!(w & 0xffffULL)) { n += 16; w >>= 16; }
	if (!(w & 0xffULL)) { n += 8; w >>= 8; }
	if (!(w & 0xfULL)) { n += 4; w >>= 4; }
	if (!(w & 0x3ULL)) { n += 2; w >>= 2; }
	if (!(w & 0x1ULL)) n += 1;
	return n;
}

static __always_inline __u32 policy_generation(void)
{
	__u32 zero = 0;
	__u32 *gen = bpf_map_lookup_elem(&policy_ctl, &zero);

	return gen ? (*gen & 1) : 0;
}

/* Fills *rule with the first matching rule, or the default action with
 * rule_id XG_RULE_DEFAULT; returns 0. A global function: verified once, not
 * once per path of each caller (bpf/README.md, "Kernels"). */
__noinline int policy_classify(const struct xg_pkt *pkt, __u8 role, struct xg_rule *rule)
{
	__u32 gen = policy_generation();
	struct xg_policy_meta *meta = bpf_map_lookup_elem(&pol_meta, &gen);
	struct xg_addr_key ak = { .prefixlen = XG_ADDR_KEY_BITS, .gen = gen };
	struct xg_port_key pk = { .prefixlen = XG_PORT_KEY_BITS, .gen = gen };
	__u32 role_idx = gen * XG_ROLE_COUNT + role;
	struct xg_bitmap *src, *dst, *port, *rb;
	__u32 lo, hi;

	if (!pkt || !rule)
		return 0;
	pk.proto = pkt->tuple.proto;
	pk.port = bpf_htons(pkt->class_port);

	rule->rule_id = XG_RULE_DEFAULT;
	rule->action = meta ? meta->default_action : XG_ACT_DROP;
	rule->pair_off = 0;
	rule->gw_id = 0;
	if (!meta || !meta->nrules)
		return 0;

	rb = bpf_map_lookup_elem(&pol_role, &role_idx);
	if (!rb)
		return 0;
	/* A field no rule constrains matches every rule: AND-ing the role
	 * bitmap in its place changes nothing and saves an LPM lookup. */
	src = rb;
	dst = rb;
	port = rb;
	if (!(meta->wild & XG_POL_WILD_SRC)) {
		__builtin_memcpy(ak.addr, pkt->tuple.saddr, XG_ADDR_LEN);
		src = bpf_map_lookup_elem(&pol_src, &ak);
	}
	if (!(meta->wild & XG_POL_WILD_DST)) {
		__builtin_memcpy(ak.addr, pkt->tuple.daddr, XG_ADDR_LEN);
		dst = bpf_map_lookup_elem(&pol_dst, &ak);
	}
	if (!(meta->wild & XG_POL_WILD_PORT))
		port = bpf_map_lookup_elem(&pol_port, &pk);
	if (!src || !dst || !port)
		return 0;

	lo = src->first;
	lo = dst->first > lo ? dst->first : lo;
	lo = port->first > lo ? port->first : lo;
	lo = rb->first > lo ? rb->first : lo;
	hi = src->last;
	hi = dst->last < hi ? dst->last : hi;
	hi = port->last < hi ? port->last : hi;
	hi = rb->last < hi ? rb->last : hi;

	for (__u32 j = 0; j < XG_BITMAP_WORDS; j++) {
		__u32 i = lo + j, pos, slot;
		struct xg_rule *r;
		__u64 w;

		/* Keeps clang from turning the index into a running pointer whose
		 * bound the verifier cannot see. */
		barrier_var(i);
		if (i > hi || i >= XG_BITMAP_WORDS)
			return 0;
		w = src->words[i] & dst->words[i] & port->words[i] & rb->words[i];
		if (!w)
			continue;
		pos = i * 64 + lowest_bit(w);
		if (pos >= meta->nrules)
			return 0;
		slot = gen * XG_MAX_RULES + pos;
		r = bpf_map_lookup_elem(&pol_rules, &slot);
		if (r)
			*rule = *r;
		return 0;
	}
	return 0;
}

#endif /* XDPGATE_POLICY_H */
