/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Packet parsing: Ethernet (up to two VLAN tags), IPv4 (with options) or IPv6
 * (with extension headers), then TCP, UDP, ICMP or ICMPv6. Produces the
 * flow tuple and header offsets, or the reason the packet is refused.
 *
 * Deliberate choices:
 *  - IP fragments are dropped (XG_DROP_FRAGMENT): later fragments carry no
 *    ports, so they could not be matched to a rule or a connection. TCP avoids
 *    fragmentation through PMTU discovery, which needs ICMP "fragmentation
 *    needed" (type 3) / ICMPv6 "packet too big" (type 2) to be allowed by a
 *    rule; keep UDP payloads (e.g. DNS EDNS) below the path MTU.
 *  - ICMP other than echo is classified per packet (the ICMP type is matched
 *    as the port) and never creates a connection entry.
 *  - IPv4 options are accepted and skipped; the transport header is found
 *    at ihl * 4.
 *  - IPv6 hop-by-hop, routing, destination-options and AH headers are
 *    skipped (at most XG_MAX_IP6_EXT of them); ESP and unknown next headers
 *    end the chain and are tracked by addresses and protocol only.
 */
#ifndef XDPGATE_PARSE_H
#define XDPGATE_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include "xdpgate_abi.h"
#include "hook.h"
#include "compat.h"
#include "tuple.h"

/* Two tags cover 802.1Q and QinQ (802.1ad outer + 802.1Q inner); deeper
 * stacks are refused rather than passed unfiltered. */
#define XG_MAX_VLAN 2
/* Extension headers skipped before giving up; real traffic rarely has more
 * than two, and the bound keeps the verifier's loop short. */
#define XG_MAX_IP6_EXT 4
/* Largest offset at which a transport header may start. It bounds the
 * offsets the verifier sees (masking below) and is far beyond any sane
 * header stack (22 bytes of L2 + 60 of IPv4 or 40 + extension headers). */
#define XG_MAX_L4_OFF 511
#define XG_L4_OFF_MASK 0x1ff
/* L3 starts after 14 bytes of Ethernet and at most two 4-byte VLAN tags. */
#define XG_L3_OFF_MASK 0x1f

/* Parse outcome: either this sentinel (go on) or an xg_stat index that is
 * a pass counter (XG_STAT_NON_IP, XG_STAT_ICMP6_ND) or a drop reason. */
#define XG_PARSE_OK XG_STAT_COUNT

/* The first 8 bytes of ICMP (RFC 792) and ICMPv6 (RFC 4443) messages, laid
 * out alike for echo. Declared here because linux/icmp.h includes
 * linux/if.h, which includes glibc's sys/socket.h: under -target bpf that
 * asks for 32-bit glibc stubs (bpf/README.md, "Headers"). */
struct xg_icmp_hdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 echo_id;
	__be16 echo_seq;
};

#define XG_ICMP_ECHOREPLY 0
#define XG_ICMP_ECHO 8
#define XG_ICMP6_ECHO_REQUEST 128
#define XG_ICMP6_ECHO_REPLY 129

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

struct xg_pkt {
	struct xg_tuple tuple; /* as on the wire */
	__u16 l3_off;
	__u16 l4_off;
	__u16 l4_len;      /* transport header + payload, as the IP header says */
	__u16 payload_len; /* TCP payload bytes */
	__u16 class_port;  /* what rules match as port: destination port, ICMP type */
	__u8 tcp_flags;    /* TCP flag byte (FIN 0x01 .. CWR 0x80) */
	__u8 tracked;      /* 0: ICMP that is classified per packet, never tracked */
	__u8 icmp_error;   /* an ICMP/ICMPv6 error: the quoted packet starts 8 bytes into the message */
	__u8 tcp_hlen;     /* TCP header length with options, bytes */
	__u8 hop_limit;    /* IPv4 TTL or IPv6 hop limit */
	__u16 tcp_win;     /* TCP window field, unscaled */
	__u32 tcp_seq;     /* TCP sequence and acknowledgement numbers, host order */
	__u32 tcp_ack;
};

#define XG_TCP_FIN 0x01
#define XG_TCP_SYN 0x02
#define XG_TCP_RST 0x04
#define XG_TCP_ACK 0x10

static __always_inline __u32 parse_l4(void *data, void *end, struct xg_pkt *pkt)
{
	__u32 off = pkt->l4_off & XG_L4_OFF_MASK;
	void *l4 = data + off;

	pkt->tracked = 1;
	switch (pkt->tuple.proto) {
	case IPPROTO_TCP: {
		struct tcphdr *th = l4;
		__u32 hlen;
		__u8 flags;

		if ((void *)(th + 1) > end || pkt->l4_len < sizeof(*th))
			return XG_DROP_L4_TRUNC;
		hlen = th->doff * 4;
		if (hlen < sizeof(*th) || hlen > pkt->l4_len)
			return XG_DROP_TCP_BAD_HDR;
		flags = ((__u8 *)th)[13];
		/* A segment with no flag, or SYN with FIN or RST, is never legitimate
		 * and is a classic scanner probe. */
		if (!(flags & 0x3f) || ((flags & XG_TCP_SYN) && (flags & (XG_TCP_FIN | XG_TCP_RST))))
			return XG_DROP_TCP_BAD_HDR;
		pkt->tcp_flags = flags;
		pkt->tcp_seq = bpf_ntohl(th->seq);
		pkt->tcp_ack = bpf_ntohl(th->ack_seq);
		pkt->tcp_win = bpf_ntohs(th->window);
		pkt->tcp_hlen = hlen;
		pkt->payload_len = pkt->l4_len - hlen;
		pkt->tuple.sport = th->source;
		pkt->tuple.dport = th->dest;
		pkt->class_port = bpf_ntohs(th->dest);
		return XG_PARSE_OK;
	}
	case IPPROTO_UDP: {
		struct udphdr *uh = l4;

		if ((void *)(uh + 1) > end || pkt->l4_len < sizeof(*uh))
			return XG_DROP_L4_TRUNC;
		pkt->tuple.sport = uh->source;
		pkt->tuple.dport = uh->dest;
		pkt->class_port = bpf_ntohs(uh->dest);
		return XG_PARSE_OK;
	}
	case IPPROTO_ICMP: {
		struct xg_icmp_hdr *ih = l4;

		if ((void *)(ih + 1) > end || pkt->l4_len < sizeof(*ih))
			return XG_DROP_L4_TRUNC;
		pkt->class_port = ih->type;
		if (ih->type == XG_ICMP_ECHO)
			pkt->tuple.sport = ih->echo_id;
		else if (ih->type == XG_ICMP_ECHOREPLY)
			pkt->tuple.dport = ih->echo_id;
		else
			pkt->tracked = 0;
		/* destination unreachable, time exceeded, parameter problem */
		pkt->icmp_error = ih->type == 3 || ih->type == 11 || ih->type == 12;
		return XG_PARSE_OK;
	}
	case IPPROTO_ICMPV6: {
		struct xg_icmp_hdr *ih = l4;

		if ((void *)(ih + 1) > end || pkt->l4_len < sizeof(*ih))
			return XG_DROP_L4_TRUNC;
		/* Multicast listener (130-132, 143) and neighbour discovery (133-137)
		 * are the IPv6 equivalent of ARP: filtering them breaks the link.
		 * Both are link-local by definition: ND must arrive with hop limit
		 * 255 (RFC 4861), MLD with 1 (RFC 2710, 3810); anything else was
		 * sent from off the link and is refused. */
		if (ih->type >= 133 && ih->type <= 137)
			return pkt->hop_limit == 255 ? XG_STAT_ICMP6_ND : XG_DROP_ICMP6_ND_HOPS;
		if ((ih->type >= 130 && ih->type <= 132) || ih->type == 143)
			return pkt->hop_limit == 1 ? XG_STAT_ICMP6_ND : XG_DROP_ICMP6_ND_HOPS;
		pkt->class_port = ih->type;
		if (ih->type == XG_ICMP6_ECHO_REQUEST)
			pkt->tuple.sport = ih->echo_id;
		else if (ih->type == XG_ICMP6_ECHO_REPLY)
			pkt->tuple.dport = ih->echo_id;
		else
			pkt->tracked = 0;
		/* destination unreachable, packet too big, time exceeded, parameter problem */
		pkt->icmp_error = ih->type >= 1 && ih->type <= 4;
		return XG_PARSE_OK;
	}
	default:
		return XG_PARSE_OK;
	}
}

static __always_inline __u32 parse_ipv4(void *data, void *end, __u32 len, struct xg_pkt *pkt)
{
	__u32 off = pkt->l3_off & XG_L3_OFF_MASK;
	struct iphdr *ip = data + off;
	__u32 ihl, tot;

	if ((void *)(ip + 1) > end)
		return XG_DROP_IP4_TRUNC;
	ihl = ip->ihl * 4;
	if (ip->version != 4 || ihl < sizeof(*ip) || data + off + ihl > end)
		return XG_DROP_IP4_BAD_HDR;
	tot = ntohs_bounded(ip->tot_len);
	/* Frames may carry Ethernet padding after the datagram, never less. */
	if (tot < ihl || off + tot > len)
		return XG_DROP_IP4_BAD_LEN;
	if (ip->frag_off & bpf_htons(0x3fff)) /* MF or a fragment offset */
		return XG_DROP_FRAGMENT;

	addr_from_v4(pkt->tuple.saddr, ip->saddr);
	addr_from_v4(pkt->tuple.daddr, ip->daddr);
	pkt->hop_limit = ip->ttl;
	pkt->tuple.proto = ip->protocol;
	pkt->tuple.family = XG_FAMILY_IPV4;
	pkt->l4_off = off + ihl;
	pkt->l4_len = tot - ihl;
	return parse_l4(data, end, pkt);
}

static __always_inline __u32 parse_ipv6(void *data, void *end, __u32 len, struct xg_pkt *pkt)
{
	__u32 off = pkt->l3_off & XG_L3_OFF_MASK;
	struct ipv6hdr *ip6 = data + off;
	__u32 l4, plen;
	__u8 nexthdr;

	if ((void *)(ip6 + 1) > end)
		return XG_DROP_IP6_TRUNC;
	if (ip6->version != 6)
		return XG_DROP_IP6_TRUNC;
	plen = ntohs_bounded(ip6->payload_len);
	if (off + sizeof(*ip6) + plen > len)
		return XG_DROP_IP6_TRUNC;

	__builtin_memcpy(pkt->tuple.saddr, &ip6->saddr, XG_ADDR_LEN);
	__builtin_memcpy(pkt->tuple.daddr, &ip6->daddr, XG_ADDR_LEN);
	if (addr_is_v4_mapped(pkt->tuple.saddr) || addr_is_v4_mapped(pkt->tuple.daddr))
		return XG_DROP_IP6_MAPPED;
	pkt->tuple.family = XG_FAMILY_IPV6;
	pkt->hop_limit = ip6->hop_limit;
	nexthdr = ip6->nexthdr;
	l4 = off + sizeof(*ip6);

#pragma unroll
	for (int i = 0; i < XG_MAX_IP6_EXT; i++) {
		__u8 *ext;
		__u32 len;

		if (nexthdr == IPPROTO_FRAGMENT)
			return XG_DROP_FRAGMENT;
		if (nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_ROUTING &&
		    nexthdr != IPPROTO_DSTOPTS && nexthdr != IPPROTO_AH)
			break;
		ext = data + (l4 & XG_L4_OFF_MASK);
		if ((void *)(ext + 2) > end)
			return XG_DROP_IP6_EXT;
		len = nexthdr == IPPROTO_AH ? (ext[1] + 2) * 4 : (ext[1] + 1) * 8;
		nexthdr = ext[0];
		l4 += len;
		if (l4 > XG_MAX_L4_OFF || l4 > off + sizeof(*ip6) + plen)
			return XG_DROP_IP6_EXT;
	}
	if (nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
	    nexthdr == IPPROTO_DSTOPTS || nexthdr == IPPROTO_AH || nexthdr == IPPROTO_FRAGMENT)
		return nexthdr == IPPROTO_FRAGMENT ? XG_DROP_FRAGMENT : XG_DROP_IP6_EXT;

	pkt->tuple.proto = nexthdr;
	pkt->l4_off = l4;
	pkt->l4_len = off + sizeof(*ip6) + plen - l4;
	return parse_l4(data, end, pkt);
}

/* Fills pkt; returns XG_PARSE_OK or the stat that decides the packet. Lengths
 * are checked against the whole frame, headers read where they are linear
 * (at tc, a GSO packet's payload is in pages). */
static __always_inline __u32 parse_packet(xg_ctx *ctx, struct xg_pkt *pkt)
{
	void *data = ctx_data(ctx);
	void *end = ctx_end(ctx);
	struct ethhdr *eth = data;
	__u32 off = sizeof(*eth);
	__be16 proto;

	if ((void *)(eth + 1) > end)
		return XG_DROP_ETH_TRUNC;
	proto = eth->h_proto;

#pragma unroll
	for (int i = 0; i < XG_MAX_VLAN; i++) {
		struct vlan_hdr *vh;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		vh = data + off;
		if ((void *)(vh + 1) > end)
			return XG_DROP_ETH_TRUNC;
		proto = vh->proto;
		off += sizeof(*vh);
	}
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD))
		return XG_DROP_VLAN_DEPTH;

	pkt->l3_off = off;
	if (proto == bpf_htons(ETH_P_IP))
		return parse_ipv4(data, end, ctx_len(ctx), pkt);
	if (proto == bpf_htons(ETH_P_IPV6))
		return parse_ipv6(data, end, ctx_len(ctx), pkt);
	return XG_STAT_NON_IP;
}

#endif /* XDPGATE_PARSE_H */
