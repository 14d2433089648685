// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The floors `make bench-lab` measures xdpgate against, on the same veths in the same run:
 * floor_xdp_pass, the least an XDP program can cost (what XDP on a veth takes from its peer,
 * GSO/TSO, is in it); floor_tc_fib, a bare tc forwarder (FIB lookup, then redirect with the
 * kernel resolving the neighbour), the least a tc fast path can cost. No policy, no state.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("xdp")
int floor_xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int floor_tc_fib(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct bpf_fib_lookup fib = {};

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ttl <= 1)
		return TC_ACT_OK;
	fib.family = 2; /* AF_INET */
	fib.tos = ip->tos;
	fib.l4_protocol = ip->protocol;
	fib.tot_len = bpf_ntohs(ip->tot_len);
	fib.ipv4_src = ip->saddr;
	fib.ipv4_dst = ip->daddr;
	fib.ifindex = skb->ifindex;
	if (bpf_fib_lookup(skb, &fib, sizeof(fib), BPF_FIB_LOOKUP_SKIP_NEIGH) != BPF_FIB_LKUP_RET_SUCCESS)
		return TC_ACT_OK;
	/* TTL - 1 with the checksum adjusted (RFC 1624) */
	bpf_l3_csum_replace(skb, sizeof(*eth) + offsetof(struct iphdr, check), bpf_htons(ip->ttl << 8),
			    bpf_htons((ip->ttl - 1) << 8), 2);
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	ip = data + sizeof(*eth);
	if ((void *)(ip + 1) > end)
		return TC_ACT_SHOT;
	ip->ttl--;
	return bpf_redirect_neigh(fib.ifindex, 0, 0, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
