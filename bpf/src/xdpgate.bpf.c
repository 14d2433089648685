// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xdpgate packet processor: the entry points. They only wire the pipeline;
 * every stage lives in a header by concern (parse, conntrack, policy, nat,
 * fwd, stats) and flow.h joins them into the paths a packet takes. Built
 * twice (hook.h): xdpgate.bpf.o with the XDP programs, xdpgate_tc.bpf.o
 * (-DXG_HOOK_TC) with the same pipeline at tc ingress; the control plane
 * loads both over one set of maps and attaches one per interface.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "hook.h"
#include "config.h"
#include "flow.h"
#include "fwd.h"
#include "gateway.h"
#include "maps.h"
#include "parse.h"
#include "stats.h"
#ifndef XG_HOOK_TC
#include "xsk.h"
#endif

/* The verdict of the pipeline for one packet. */
static __always_inline int xg_verdict(xg_ctx *ctx, struct xg_stats *st, struct xg_pkt *pkt,
				      const struct xg_iface *ifc)
{
	__u8 role = ifc ? ifc->role : XG_ROLE_EXTERNAL;
	int res;

	if (ifc && role == XG_ROLE_GATEWAY)
		return flow_from_gateway(ctx, st, pkt, ifc);
	if (role >= XG_ROLE_GATEWAY)
		role = XG_ROLE_EXTERNAL;
	if (pkt->icmp_error)
		return flow_icmp_error(ctx, st, pkt);
	if (!pkt->tracked)
		return flow_stateless(st, pkt, role);
	res = flow_track(ctx, st, pkt, role);
	if (res != XG_FLOW_NEW)
		return res;
	return flow_new(ctx, st, pkt, role);
}

static __always_inline int xg_process(xg_ctx *ctx)
{
	struct xg_stats *st = stats_get();
	__u32 ifindex = ctx_ifindex(ctx);
	struct xg_iface *ifc = bpf_map_lookup_elem(&ifaces, &ifindex);
	struct xg_pkt pkt = {};
	__u32 res;
	int verdict;

	ctx_pull_headers(ctx);
	res = parse_packet(ctx, &pkt);
	if (res == XG_STAT_NON_IP || res == XG_STAT_ICMP6_ND) {
		stat_inc(st, res);
		return verdict_pass(st);
	}
	if (res != XG_PARSE_OK)
		return verdict_drop(st, res);
	verdict = xg_verdict(ctx, st, &pkt, ifc);
	if (verdict == XG_VERDICT_PASS && cfg_forward)
		return fwd_fib(ctx, st, &pkt);
	return verdict;
}

#ifdef XG_HOOK_TC
SEC("tc")
int xdpgate_tc(xg_ctx *ctx)
{
	return xg_process(ctx);
}
#else
SEC("xdp")
int xdpgate_xdp(xg_ctx *ctx)
{
	return xg_process(ctx);
}

/* Attached to the gateway end of each gateway veth (xgw1), not to traffic
 * interfaces: hands redirected frames to the gateway's AF_XDP socket. */
SEC("xdp")
int xdpgate_xsk(struct xdp_md *ctx)
{
	return xsk_deliver(ctx);
}
#endif

char LICENSE[] SEC("license") = "Dual BSD/GPL";
