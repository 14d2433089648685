/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Gateway liveness and the hop into a local gateway's AF_XDP socket.
 */
#ifndef XDPGATE_GATEWAY_H
#define XDPGATE_GATEWAY_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "maps.h"
#include "stats.h"

/* A gateway takes flows when the control plane marked it active and, for a
 * local AF_XDP gateway, its socket is still registered: the flag alone would
 * outlive a crashed gateway process, the socket entry does not. */
static __always_inline int gw_up(const struct xg_gateway *gw, __u32 gw_id)
{
	if (!(gw->flags & XG_GW_F_ACTIVE))
		return 0;
	if ((gw->flags & XG_GW_F_XSK) && !bpf_map_lookup_elem(&gw_xsks, &gw_id))
		return 0;
	return 1;
}

/* The gateway end of a gateway veth (xgw1): every frame the packet processor
 * redirected into the pair goes to that gateway's socket. The interface's
 * ifaces entry (role GATEWAY) names the gateway. */
static __always_inline int gw_deliver(struct xdp_md *ctx)
{
	struct xg_stats *st = stats_get();
	__u32 ifindex = ctx->ingress_ifindex;
	struct xg_iface *ifc = bpf_map_lookup_elem(&ifaces, &ifindex);
	__u32 gw_id;

	if (!ifc || ifc->role != XG_ROLE_GATEWAY)
		return verdict_drop(st, XG_DROP_GW_DOWN);
	gw_id = ifc->gw_id;
	if (!bpf_map_lookup_elem(&gw_xsks, &gw_id))
		return verdict_drop(st, XG_DROP_GW_DOWN);
	return bpf_redirect_map(&gw_xsks, gw_id, XDP_DROP);
}

#endif /* XDPGATE_GATEWAY_H */
