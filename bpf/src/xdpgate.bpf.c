// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xdpgate packet processor: the XDP entry point. It only wires the
 * pipeline; every stage lives in a header by concern (parse, conntrack,
 * policy, nat, stats) and flow.h joins them into the paths a packet takes.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "config.h"
#include "flow.h"
#include "gateway.h"
#include "maps.h"
#include "parse.h"
#include "stats.h"

static __always_inline int xg_process(struct xdp_md *ctx)
{
	struct xg_stats *st = stats_get();
	__u32 ifindex = ctx->ingress_ifindex;
	struct xg_iface *ifc = bpf_map_lookup_elem(&ifaces, &ifindex);
	__u8 role = ifc ? ifc->role : XG_ROLE_EXTERNAL;
	struct xg_pkt pkt = {};
	__u32 res = parse_packet(ctx, &pkt);

	if (res == XG_STAT_NON_IP || res == XG_STAT_ICMP6_ND) {
		stat_inc(st, res);
		return verdict_pass(st);
	}
	if (res != XG_PARSE_OK)
		return verdict_drop(st, res);

	if (ifc && role == XG_ROLE_GATEWAY)
		return flow_from_gateway(ctx, st, &pkt, ifc);
	if (role >= XG_ROLE_GATEWAY)
		role = XG_ROLE_EXTERNAL;
	if (pkt.icmp_error)
		return flow_icmp_error(ctx, st, &pkt);
	if (!pkt.tracked)
		return flow_stateless(st, &pkt, role);
	res = flow_track(ctx, st, &pkt, role);
	if (res != XG_FLOW_NEW)
		return res;
	return flow_new(ctx, st, &pkt, role);
}

SEC("xdp")
int xdpgate_xdp(struct xdp_md *ctx)
{
	return xg_process(ctx);
}

/* Attached to the gateway end of each gateway veth (xgw1), not to traffic
 * interfaces: hands redirected frames to the gateway's AF_XDP socket. */
SEC("xdp")
int xdpgate_xsk(struct xdp_md *ctx)
{
	return gw_deliver(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
