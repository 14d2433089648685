/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Fast-path forwarding of admitted packets (cfg_forward): the kernel's FIB
 * says where a packet goes; when that is out of an interface xdpgate manages
 * and the next hop's address is known, the packet is sent there at once, TTL
 * or hop limit decremented, instead of climbing the stack to be routed.
 * Everything the stack must see itself goes there: packets for this host, a
 * next hop not yet resolved (the stack's ARP/ND does it, later packets take
 * the fast path), a packet over the egress MTU (the stack fragments it or sends
 * the ICMP error), an expiring TTL (the stack's "time exceeded"), a route the
 * FIB will not forward by, an egress xdpgate does not manage, and, from XDP,
 * an egress that does not run XDP (XG_IFACE_F_XDP). Each has a counter
 * (XG_STAT_FWD_*).
 */
#ifndef XDPGATE_FWD_H
#define XDPGATE_FWD_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdpgate_abi.h"
#include "hook.h"
#include "maps.h"
#include "nat.h"
#include "parse.h"
#include "stats.h"

#define XG_AF_INET 2
#define XG_AF_INET6 10
#define XG_IP6_FLOWINFO_MASK bpf_htonl(0x0fffffff)

/* To the stack, with the reason counted. The packet was counted as passed. */
static __always_inline int fwd_to_stack(struct xg_stats *st, __u32 reason)
{
	stat_inc(st, reason);
	return XG_VERDICT_PASS;
}

/* Fills the lookup from the IP header; XG_STAT_FWD_STACK when the stack must
 * route it (TTL expiring), 0 otherwise. tot_len is the datagram's length, so
 * the route's MTU is checked; for a GSO skb at tc it is 0, so the kernel
 * checks the segments it will become against the device (a 64 KB GSO packet
 * is forwardable). */
static __always_inline __u32 fwd_fill(xg_ctx *ctx, const struct xg_pkt *pkt, struct bpf_fib_lookup *fib)
{
	void *data = ctx_data(ctx);
	void *end = ctx_end(ctx);
	__be16 *ports = data + (pkt->l4_off & XG_L4_OFF_MASK);

	fib->ifindex = ctx_ifindex(ctx);
	fib->l4_protocol = pkt->tuple.proto;
	/* The ports on the wire now (a packet from a gateway was restored). */
	if ((pkt->tuple.proto == IPPROTO_TCP || pkt->tuple.proto == IPPROTO_UDP) && (void *)(ports + 2) <= end) {
		fib->sport = ports[0];
		fib->dport = ports[1];
	}
	if (pkt->tuple.family == XG_FAMILY_IPV4) {
		struct iphdr *ip = data + sizeof(struct ethhdr);

		if ((void *)(ip + 1) > end)
			return XG_STAT_FWD_STACK;
		if (ip->ttl <= 1)
			return XG_STAT_FWD_STACK;
		fib->family = XG_AF_INET;
		fib->tos = ip->tos;
		fib->tot_len = bpf_ntohs(ip->tot_len);
		fib->ipv4_src = ip->saddr;
		fib->ipv4_dst = ip->daddr;
	} else {
		struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);

		if ((void *)(ip6 + 1) > end)
			return XG_STAT_FWD_STACK;
		if (ip6->hop_limit <= 1)
			return XG_STAT_FWD_STACK;
		fib->family = XG_AF_INET6;
		fib->flowinfo = *(__be32 *)ip6 & XG_IP6_FLOWINFO_MASK;
		fib->tot_len = sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
		__builtin_memcpy(fib->ipv6_src, &ip6->saddr, sizeof(fib->ipv6_src));
		__builtin_memcpy(fib->ipv6_dst, &ip6->daddr, sizeof(fib->ipv6_dst));
	}
#ifdef XG_HOOK_TC
	if (ctx->gso_size)
		fib->tot_len = 0;
#endif
	return 0;
}

/* Decrements the TTL (IPv4 checksum updated as RFC 1624 allows for this one
 * byte) or the hop limit. */
static __always_inline int fwd_dec_ttl(xg_ctx *ctx, __u8 family)
{
	void *data = ctx_data(ctx);
	void *end = ctx_end(ctx);

	if (family == XG_FAMILY_IPV4) {
		struct iphdr *ip = data + sizeof(struct ethhdr);
		__u32 check;

		if ((void *)(ip + 1) > end)
			return -1;
		check = ip->check;
		check += bpf_htons(0x0100);
		ip->check = (__u16)(check + (check >= 0xffff));
		ip->ttl--;
		return 0;
	}
	{
		struct ipv6hdr *ip6 = data + sizeof(struct ethhdr);

		if ((void *)(ip6 + 1) > end)
			return -1;
#ifdef XG_HOOK_TC
		{
			/* Stored through the helper so a CHECKSUM_COMPLETE skb's sum follows. */
			__u8 hops = ip6->hop_limit - 1;

			return bpf_skb_store_bytes(ctx, sizeof(struct ethhdr) + offsetof(struct ipv6hdr, hop_limit),
						   &hops, 1, BPF_F_RECOMPUTE_CSUM) ? -1 : 0;
		}
#else
		ip6->hop_limit--;
		return 0;
#endif
	}
}

/*
 * An admitted IP packet: forwarded by the FIB, or to the stack. Only untagged
 * frames take the fast path (a VLAN's routing belongs to its VLAN device).
 */
__noinline int fwd_fib(xg_ctx *ctx, struct xg_stats *st, const struct xg_pkt *pkt)
{
	struct bpf_fib_lookup fib = {};
	__u32 reason;
	long rc;

	if (!pkt || (pkt->l3_off & XG_L3_OFF_MASK) != sizeof(struct ethhdr))
		return fwd_to_stack(st, XG_STAT_FWD_STACK);
	reason = fwd_fill(ctx, pkt, &fib);
	if (reason)
		return fwd_to_stack(st, reason);
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	if (rc == BPF_FIB_LKUP_RET_NOT_FWDED)
		return fwd_to_stack(st, XG_STAT_FWD_LOCAL);
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		return fwd_to_stack(st, XG_STAT_FWD_NO_NEIGH);
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED)
		return fwd_to_stack(st, XG_STAT_FWD_FRAG_NEEDED);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS || !bpf_map_lookup_elem(&fwd_ports, &fib.ifindex))
		return fwd_to_stack(st, XG_STAT_FWD_STACK);
#ifndef XG_HOOK_TC
	{
		/* An XDP frame redirected into a device that cannot take it is lost. */
		struct xg_iface *out = bpf_map_lookup_elem(&ifaces, &fib.ifindex);

		if (!out || !(out->flags & XG_IFACE_F_XDP))
			return fwd_to_stack(st, XG_STAT_FWD_STACK);
	}
#endif

	if (fwd_dec_ttl(ctx, pkt->tuple.family) || set_macs(ctx, fib.dmac, fib.smac))
		return fwd_to_stack(st, XG_STAT_FWD_STACK);
	stat_inc(st, XG_STAT_FWD);
	return ctx_redirect(&fwd_ports, fib.ifindex, fib.ifindex);
}

#endif /* XDPGATE_FWD_H */
