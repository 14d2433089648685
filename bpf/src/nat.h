/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Redirect NAT. A flow a rule sends to a gateway gets a port from that
 * gateway's pool (and, when the gateway asks for source NAT, a port from the
 * firewall's pool too), so the gateway can tell connections apart by the
 * NAT tuple alone. The original direction is rewritten to
 * client -> gateway:port, the reply direction to gateway:port -> client, and
 * packets coming back from the gateway are restored to the original tuple
 * ("double NAT"). Checksums are updated incrementally.
 */
#ifndef XDPGATE_NAT_H
#define XDPGATE_NAT_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <stddef.h>
#include "xdpgate_abi.h"
#include "hook.h"
#include "compat.h"
#include "csum.h"
#include "conntrack.h"
#include "maps.h"
#include "parse.h"
#include "stats.h"
#include "tuple.h"

/* Pool slots tried per new flow. A pool of at most XG_POOL_PROBES slots is
 * searched whole, in order from a hashed start, so a new flow finds a free or
 * reusable port wherever it is. A larger one (source NAT pairs, up to 10^6
 * and more) is probed at XG_POOL_RANDOM_PROBES independent places: in-order
 * probing there grows clusters of busy slots, and measured at 99% of a
 * 1,050,000-pair space it took 2 ms of kernel time per SYN and still refused
 * 15%; independent probes need 1/(1 - fill) on average (100 at 99%) and fail
 * with probability fill^1024 (3 in 10^5 at 99%), and a flood into a full pool
 * costs each SYN 1,024 probes, not the whole space. */
#define XG_POOL_PROBES 4096
#define XG_POOL_RANDOM_PROBES 1024

static __always_inline int gw_addr_for(const struct xg_gateway *gw, __u8 family, __u8 *out)
{
	if (family == XG_FAMILY_IPV4) {
		if (!gw->addr4)
			return -1;
		addr_from_v4(out, gw->addr4);
		return 0;
	}
	if (!((const __u64 *)gw->addr6)[0] && !((const __u64 *)gw->addr6)[1])
		return -1;
	__builtin_memcpy(out, gw->addr6, XG_ADDR_LEN);
	return 0;
}

/* The NAT reverse key of a frame between gateway gw_id and a client, and the
 * way it goes: towards the gateway's address it is the original direction.
 * -1 when the gateway is neither end (or has no address of the family). */
static __always_inline int nat_gw_key(const struct xg_gateway *gw, __u32 gw_id, const struct xg_tuple *t,
				      struct xg_nat_key *key, __u8 *dir)
{
	__u8 gw_addr[XG_ADDR_LEN];

	if ((t->proto != IPPROTO_TCP && t->proto != IPPROTO_UDP) || gw_addr_for(gw, t->family, gw_addr))
		return -1;
	__builtin_memset(key, 0, sizeof(*key));
	key->gw_id = gw_id;
	key->proto = t->proto;
	if (addr_equal(t->daddr, gw_addr)) {
		*dir = XG_DIR_ORIG;
		key->gw_port = t->dport;
		key->snat_port = gw->snat_port_count ? t->sport : 0;
		return 0;
	}
	if (addr_equal(t->saddr, gw_addr)) {
		*dir = XG_DIR_REPLY;
		key->gw_port = t->sport;
		key->snat_port = gw->snat_port_count ? t->dport : 0;
		return 0;
	}
	return -1;
}

static __always_inline void snat_addr_for(const struct xg_gateway *gw, __u8 family, __u8 *out)
{
	if (family == XG_FAMILY_IPV4)
		addr_from_v4(out, gw->snat_addr4);
	else
		__builtin_memcpy(out, gw->snat_addr6, XG_ADDR_LEN);
}

/* A pool search: bpf_loop's callback state, on the stack as bpf_loop wants
 * it. The tuples and the slot key live in the per-CPU scratch space (the
 * three BPF stack frames of the search would not hold them). The search
 * starts at a point of the pool hashed from the flow's tuple and the
 * gateway's pool_seed, so consecutive flows do not queue up behind the same
 * busy ports, an outsider cannot tell which port a flow will get, and the
 * replay on another kernel picks the same ports. */
struct nat_search {
	__u32 start;
	__u32 space;
	__u32 count;
	__u32 scount;
	__u16 port_base;
	__u16 snat_base;
	__u16 gw_id;
	__u8 proto;
	__u8 pad;
	__u32 result; /* 0 claimed (the slot is sc->nat_slot), else the drop reason */
};

/* A busy slot is reusable at once when its connection has ended (RST, or FIN
 * from both sides) or is gone: the gateway can never confuse the two, since
 * without source NAT their client sides differ and with it the metadata
 * carries a new connection id, and the from-gateway path matches the whole
 * NAT tuple of the entry now in the slot, so the old one's late frames are
 * refused (netfilter's NAT evicts closing entries on a clash the same way). */
static __always_inline int nat_slot_reclaim(struct xg_scratch *sc)
{
	struct xg_tuple *owner = bpf_map_lookup_elem(&nat_rev, &sc->nat_slot);
	struct xg_conn *c;

	if (!owner)
		return 0;
	__builtin_memcpy(&sc->nat_owner, owner, sizeof(sc->nat_owner));
	c = bpf_map_lookup_elem(&conns, &sc->nat_owner);
	if (c && c->tcp_state != XG_TCP_CLOSED && c->tcp_state != XG_TCP_TIME_WAIT)
		return 0;
	if (c)
		ct_release(&sc->nat_owner, c);
	else
		bpf_map_delete_elem(&nat_rev, &sc->nat_slot);
	stat_inc(stats_get(), XG_STAT_POOL_REUSE);
	return 1;
}

/* The slot probe i looks at: in order in a small pool, else a point mixed
 * from the flow's start and i (the first probe at the start itself). */
static __always_inline __u32 nat_probe_index(const struct nat_search *s, __u32 i)
{
	__u32 h;

	if (s->space <= XG_POOL_PROBES || i == 0)
		return (s->start + i) % s->space;
	h = s->start ^ (i * 0x9e3779b9);
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h % s->space;
}

static long nat_probe(__u64 i, struct nat_search *s)
{
	struct xg_scratch *sc = scratch_get();
	__u32 idx = nat_probe_index(s, (__u32)i);
	int err;

	if (!sc) {
		s->result = XG_DROP_INTERNAL;
		return 1;
	}
	sc->nat_slot.gw_id = s->gw_id;
	sc->nat_slot.gw_port = bpf_htons(s->port_base + idx % s->count);
	sc->nat_slot.snat_port = bpf_htons(s->scount ? s->snat_base + idx / s->count : 0);
	sc->nat_slot.proto = s->proto;
	sc->nat_slot.pad = 0;
	err = map_insert(&nat_rev, &sc->nat_slot, &sc->nat_orig);
	if (err == -XG_EEXIST && nat_slot_reclaim(sc))
		err = map_insert(&nat_rev, &sc->nat_slot, &sc->nat_orig);
	if (err == -XG_EEXIST)
		return 0; /* busy: the next one */
	s->result = err ? XG_DROP_NAT_FULL : 0;
	return 1;
}

/* 32-bit mix of a tuple and a seed (multiply-xorshift over its words). */
static __always_inline __u32 tuple_hash(const struct xg_tuple *t, __u32 seed)
{
	const __u32 *w = (const __u32 *)t;
	__u32 h = seed ^ 0x9e3779b9;

#pragma unroll
	for (int i = 0; i < (int)(sizeof(*t) / 4); i++) {
		h ^= w[i];
		h *= 0x85ebca6b;
		h ^= h >> 13;
	}
	return h;
}

/*
 * Claims a free NAT slot for the flow and fills *nat with the NAT view of its
 * original direction. Returns 0, or the drop reason.
 */
static __always_inline __u32 nat_alloc(const struct xg_tuple *orig, __u32 gw_id,
				       const struct xg_gateway *gw, struct xg_tuple *nat,
				       struct xg_nat_key *slot)
{
	struct xg_scratch *sc = scratch_get();
	struct nat_search s = {};

	if (!sc)
		return XG_DROP_INTERNAL;
	if (!gw->port_count)
		return XG_DROP_POOL_EXHAUSTED;
	__builtin_memcpy(nat, orig, sizeof(*nat));
	if (gw_addr_for(gw, orig->family, nat->daddr))
		return XG_DROP_GW_NO_ADDR;
	if (gw->snat_port_count)
		snat_addr_for(gw, orig->family, nat->saddr);

	__builtin_memcpy(&sc->nat_orig, orig, sizeof(sc->nat_orig));
	s.count = gw->port_count;
	s.scount = gw->snat_port_count;
	s.space = s.count * (s.scount ? s.scount : 1);
	s.start = tuple_hash(orig, gw->pool_seed) % s.space;
	s.port_base = gw->port_base;
	s.snat_base = gw->snat_port_base;
	s.gw_id = gw_id;
	s.proto = orig->proto;
	s.result = XG_DROP_POOL_EXHAUSTED;
	bpf_loop(s.space <= XG_POOL_PROBES ? s.space : XG_POOL_RANDOM_PROBES, nat_probe, &s, 0);
	if (s.result)
		return s.result;
	__builtin_memcpy(slot, &sc->nat_slot, sizeof(*slot));
	nat->dport = sc->nat_slot.gw_port;
	if (s.scount)
		nat->sport = sc->nat_slot.snat_port;
	return 0;
}

/* Bounds a checksum offset: an L4 offset (XG_L4_OFF_MASK) plus the
 * checksum's place in its header, which may pass XG_L4_OFF_MASK itself. */
#define XG_CHECK_OFF_MASK 0x3ff

/* Where the L4 checksum of a NAT rewrite is: 0 when there is none to fix
 * (IPv4 UDP sent without one), -1 for a protocol NAT never rewrites. */
static __always_inline int nat_check_off(xg_ctx *ctx, const struct xg_pkt *pkt, __u32 *off)
{
	__u32 l4 = pkt->l4_off & XG_L4_OFF_MASK;
	struct udphdr *uh = ctx_data(ctx) + l4;

	if (pkt->tuple.proto == IPPROTO_TCP) {
		*off = l4 + offsetof(struct tcphdr, check);
		return 0;
	}
	if (pkt->tuple.proto != IPPROTO_UDP || (void *)(uh + 1) > ctx_end(ctx))
		return -1;
	/* IPv4 UDP without checksum (0) stays without one. */
	*off = uh->check || pkt->tuple.family == XG_FAMILY_IPV6 ? l4 + offsetof(struct udphdr, check) : 0;
	return 0;
}

#ifdef XG_HOOK_TC
/*
 * Rewrites the packet's addresses and ports to *to (the packet's current
 * values are pkt->tuple). At tc the kernel's checksum helpers do the sums:
 * they know a CHECKSUM_PARTIAL skb (sent by a local stack that left the L4 sum
 * to the device: only the pseudo-header part changes) and keep a
 * CHECKSUM_COMPLETE skb's sum true. The flow hash is recomputed from the new
 * tuple, so both directions of a redirected flow hash alike.
 */
static __always_inline int nat_rewrite(xg_ctx *ctx, const struct xg_pkt *pkt, const struct xg_tuple *to)
{
	const struct xg_tuple *from = &pkt->tuple;
	__u32 l3 = pkt->l3_off & XG_L3_OFF_MASK;
	__u32 l4 = pkt->l4_off & XG_L4_OFF_MASK;
	__u64 l4f = from->proto == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;
	__u32 check_off;

	if (nat_check_off(ctx, pkt, &check_off))
		return -1;
	if (from->family == XG_FAMILY_IPV4) {
		__be32 old_s = addr_to_v4(from->saddr), new_s = addr_to_v4(to->saddr);
		__be32 old_d = addr_to_v4(from->daddr), new_d = addr_to_v4(to->daddr);
		__u32 ip_check = l3 + offsetof(struct iphdr, check);

		if (check_off && (bpf_l4_csum_replace(ctx, check_off, old_s, new_s, l4f | BPF_F_PSEUDO_HDR | 4) ||
				  bpf_l4_csum_replace(ctx, check_off, old_d, new_d, l4f | BPF_F_PSEUDO_HDR | 4)))
			return -1;
		if (bpf_l3_csum_replace(ctx, ip_check, old_s, new_s, 4) ||
		    bpf_l3_csum_replace(ctx, ip_check, old_d, new_d, 4) ||
		    bpf_skb_store_bytes(ctx, l3 + offsetof(struct iphdr, saddr), &new_s, 4, 0) ||
		    bpf_skb_store_bytes(ctx, l3 + offsetof(struct iphdr, daddr), &new_d, 4, 0))
			return -1;
	} else {
		__s64 diff = bpf_csum_diff((__be32 *)from->saddr, XG_ADDR_LEN, (__be32 *)to->saddr, XG_ADDR_LEN, 0);

		diff = bpf_csum_diff((__be32 *)from->daddr, XG_ADDR_LEN, (__be32 *)to->daddr, XG_ADDR_LEN, diff);
		if (check_off && bpf_l4_csum_replace(ctx, check_off, 0, diff, l4f | BPF_F_PSEUDO_HDR))
			return -1;
		if (bpf_skb_store_bytes(ctx, l3 + offsetof(struct ipv6hdr, saddr), to->saddr, XG_ADDR_LEN, 0) ||
		    bpf_skb_store_bytes(ctx, l3 + offsetof(struct ipv6hdr, daddr), to->daddr, XG_ADDR_LEN, 0))
			return -1;
	}
	if (check_off && (bpf_l4_csum_replace(ctx, check_off, from->sport, to->sport, l4f | 2) ||
			  bpf_l4_csum_replace(ctx, check_off, from->dport, to->dport, l4f | 2)))
		return -1;
	if (bpf_skb_store_bytes(ctx, l4, &to->sport, 2, 0) || bpf_skb_store_bytes(ctx, l4 + 2, &to->dport, 2, 0))
		return -1;
	bpf_set_hash_invalid(ctx);
	return 0;
}
#else
/*
 * Rewrites the packet's addresses and ports to *to, fixing the IPv4 header
 * and TCP/UDP checksums. The packet's current values are pkt->tuple. XDP has
 * no checksum helpers and its frames always carry full checksums: the changes
 * are summed here (csum.h) and applied once per field.
 */
static __always_inline int nat_rewrite(xg_ctx *ctx, const struct xg_pkt *pkt,
				       const struct xg_tuple *to)
{
	void *data = ctx_data(ctx);
	void *end = ctx_end(ctx);
	__u32 l3 = pkt->l3_off & XG_L3_OFF_MASK;
	__u32 l4 = pkt->l4_off & XG_L4_OFF_MASK;
	const struct xg_tuple *from = &pkt->tuple;
	__u32 diff = 0;

	__be16 *ports = data + l4;
	__u32 check_off;

	if (nat_check_off(ctx, pkt, &check_off) || (void *)(ports + 2) > end)
		return -1;
	ports[0] = to->sport;
	ports[1] = to->dport;
	diff = csum_diff16(diff, from->sport, to->sport);
	diff = csum_diff16(diff, from->dport, to->dport);

	if (from->family == XG_FAMILY_IPV4) {
		struct iphdr *ip = data + l3;
		__u32 ipdiff = 0;

		if ((void *)(ip + 1) > end)
			return -1;
		ipdiff = csum_diff32(ipdiff, ip->saddr, addr_to_v4(to->saddr));
		ipdiff = csum_diff32(ipdiff, ip->daddr, addr_to_v4(to->daddr));
		ip->saddr = addr_to_v4(to->saddr);
		ip->daddr = addr_to_v4(to->daddr);
		ip->check = csum_apply(ip->check, ipdiff);
		diff += ipdiff;
	} else {
		struct ipv6hdr *ip6 = data + l3;

		if ((void *)(ip6 + 1) > end)
			return -1;
		diff = csum_diff_addr16(diff, (__u8 *)&ip6->saddr, to->saddr);
		diff = csum_diff_addr16(diff, (__u8 *)&ip6->daddr, to->daddr);
		/* Sum before writing: otherwise clang keeps all 32 old and new
		 * words alive across the copies and spills them to the stack. */
		barrier_var(diff);
		asm volatile("" ::: "memory");
		__builtin_memcpy(&ip6->saddr, to->saddr, XG_ADDR_LEN);
		__builtin_memcpy(&ip6->daddr, to->daddr, XG_ADDR_LEN);
	}

	if (check_off) {
		/* Bounded again at the point of use: the verifier cannot carry the
		 * protocol branch above to here. */
		__u16 *check = data + (check_off & XG_CHECK_OFF_MASK);
		__u16 sum;

		if ((void *)(check + 1) > end)
			return -1;
		sum = csum_apply(*check, diff);
		/* A computed UDP checksum of 0 is sent as 0xffff (0 means none). */
		if (!sum && from->proto == IPPROTO_UDP)
			sum = 0xffff;
		*check = sum;
	}
	return 0;
}
#endif

static __always_inline int set_macs(xg_ctx *ctx, const __u8 *dst, const __u8 *src)
{
	void *data = ctx_data(ctx);
	void *end = ctx_end(ctx);
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return -1;
	if (dst)
		__builtin_memcpy(eth->h_dest, dst, ETH_ALEN);
	if (src)
		__builtin_memcpy(eth->h_source, src, ETH_ALEN);
	return 0;
}

#endif /* XDPGATE_NAT_H */
