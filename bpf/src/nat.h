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
#include "compat.h"
#include "csum.h"
#include "maps.h"
#include "parse.h"
#include "tuple.h"

/* Pool slots tried per new flow. Allocation walks the pool from a shared
 * cursor, so a slot is busy only if a connection still holds it; 32 misses
 * in a row mean the pool is all but full and the flow is refused. */
#define XG_POOL_PROBES 32

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

static __always_inline void snat_addr_for(const struct xg_gateway *gw, __u8 family, __u8 *out)
{
	if (family == XG_FAMILY_IPV4)
		addr_from_v4(out, gw->snat_addr4);
	else
		__builtin_memcpy(out, gw->snat_addr6, XG_ADDR_LEN);
}

/*
 * Claims a free NAT slot for the flow and fills *nat with the NAT view of its
 * original direction. Returns 0, or the drop reason.
 */
static __always_inline __u32 nat_alloc(const struct xg_tuple *orig, __u32 gw_id,
				       const struct xg_gateway *gw, struct xg_tuple *nat,
				       struct xg_nat_key *slot)
{
	__u32 count = gw->port_count;
	__u32 scount = gw->snat_port_count;
	__u32 space, start, *cursor;

	if (!count)
		return XG_DROP_POOL_EXHAUSTED;
	__builtin_memcpy(nat, orig, sizeof(*nat));
	if (gw_addr_for(gw, orig->family, nat->daddr))
		return XG_DROP_GW_NO_ADDR;
	if (scount)
		snat_addr_for(gw, orig->family, nat->saddr);

	cursor = bpf_map_lookup_elem(&pool_cursor, &gw_id);
	if (!cursor)
		return XG_DROP_POOL_EXHAUSTED;
	space = count * (scount ? scount : 1);
	start = __sync_fetch_and_add(cursor, 1);

	for (__u32 i = 0; i < XG_POOL_PROBES; i++) {
		__u32 idx = (start + i) % space;
		__u16 gport = gw->port_base + idx % count;
		__u16 sport = scount ? gw->snat_port_base + idx / count : 0;
		int err;

		slot->gw_id = gw_id;
		slot->gw_port = bpf_htons(gport);
		slot->snat_port = bpf_htons(sport);
		slot->proto = orig->proto;
		slot->pad = 0;
		err = map_insert(&nat_rev, slot, orig);
		if (err == -XG_EEXIST)
			continue;
		if (err)
			return XG_DROP_NAT_FULL;
		if (i)
			__sync_fetch_and_add(cursor, i);
		nat->dport = slot->gw_port;
		if (scount)
			nat->sport = slot->snat_port;
		return 0;
	}
	return XG_DROP_POOL_EXHAUSTED;
}

/*
 * Rewrites the packet's addresses and ports to *to, fixing the IPv4 header
 * and TCP/UDP checksums. The packet's current values are pkt->tuple.
 */
static __always_inline int nat_rewrite(struct xdp_md *ctx, const struct xg_pkt *pkt,
				       const struct xg_tuple *to)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 l3 = pkt->l3_off & XG_L3_OFF_MASK;
	__u32 l4 = pkt->l4_off & XG_L4_OFF_MASK;
	const struct xg_tuple *from = &pkt->tuple;
	__u32 diff = 0;

	__u32 check_off = 0; /* offset of the L4 checksum; 0: none to fix */
	__be16 *ports = data + l4;

	if ((void *)(ports + 2) > end)
		return -1;
	if (from->proto == IPPROTO_TCP) {
		check_off = l4 + offsetof(struct tcphdr, check);
	} else if (from->proto == IPPROTO_UDP) {
		struct udphdr *uh = data + l4;

		if ((void *)(uh + 1) > end)
			return -1;
		/* IPv4 UDP without checksum (0) stays without one. */
		if (uh->check || from->family == XG_FAMILY_IPV6)
			check_off = l4 + offsetof(struct udphdr, check);
	} else {
		return -1;
	}
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
		__u16 *check = data + (check_off & XG_L4_OFF_MASK);
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

static __always_inline int set_macs(struct xdp_md *ctx, const __u8 *dst, const __u8 *src)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return -1;
	if (dst)
		__builtin_memcpy(eth->h_dest, dst, ETH_ALEN);
	if (src)
		__builtin_memcpy(eth->h_source, src, ETH_ALEN);
	return 0;
}

/* Puts struct xg_meta in front of the frame for the gateway. Invalidates
 * every packet pointer, so it is the last thing done to a frame. */
static __always_inline int meta_write(struct xdp_md *ctx, __u64 conn_id, const struct xg_tuple *orig,
				      __u8 dir, __u8 flags)
{
	struct xg_meta *m;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m)))
		return -1;
	data = (void *)(long)ctx->data;
	m = (void *)(long)ctx->data_meta;
	if ((void *)(m + 1) > data)
		return -1;
	m->conn_id = conn_id;
	__builtin_memcpy(m->orig_addr, orig->daddr, XG_ADDR_LEN);
	m->orig_port = orig->dport;
	m->dir = dir;
	m->flags = flags;
	m->magic = XG_META_MAGIC;
	return 0;
}

#endif /* XDPGATE_NAT_H */
