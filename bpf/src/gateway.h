/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Gateway liveness and the choice of a gateway instance for a new flow.
 */
#ifndef XDPGATE_GATEWAY_H
#define XDPGATE_GATEWAY_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "hook.h"
#include "maps.h"
#include "stats.h"

/* The per-instance maps' index of a gateway's instance. */
static __always_inline __u32 gw_slot(__u32 gw_id, __u32 inst)
{
	return (gw_id % XG_MAX_GATEWAYS) * XG_MAX_INSTANCES + (inst % XG_MAX_INSTANCES);
}

static __always_inline __u32 gw_instances(const struct xg_gateway *gw)
{
	return gw->instances > 1 ? (gw->instances < XG_MAX_INSTANCES ? gw->instances : XG_MAX_INSTANCES) : 1;
}

/* An instance takes flows when the control plane marked the gateway active,
 * it is one of the entry's instances and, for a local AF_XDP gateway, the
 * instance's socket is still registered:
 * the flag alone would outlive a crashed gateway process, the socket entry
 * does not. */
static __always_inline int gw_inst_up(const struct xg_gateway *gw, __u32 gw_id, __u32 inst)
{
	__u32 slot = gw_slot(gw_id, inst);

	if (!(gw->flags & XG_GW_F_ACTIVE))
		return 0;
	/* A flow of an instance a policy change took away (3 instances became 1)
	 * follows the fail mode, not the socket left in that slot until the old
	 * runtime is retired. */
	if (inst >= gw_instances(gw))
		return 0;
	if ((gw->flags & XG_GW_F_XSK) && !bpf_map_lookup_elem(&gw_xsks, &slot))
		return 0;
	return 1;
}

/* The instance a new flow goes to: the least loaded of those that are up
 * (the lowest number among equals), or -1 when none is. */
static __always_inline int gw_pick_instance(const struct xg_gateway *gw, __u32 gw_id)
{
	__u32 n = gw_instances(gw), best_load = 0xffffffff;
	int best = -1;

	for (__u32 i = 0; i < XG_MAX_INSTANCES; i++) {
		__u32 slot = gw_slot(gw_id, i), *load;

		if (i >= n)
			break;
		if (!gw_inst_up(gw, gw_id, i))
			continue;
		load = bpf_map_lookup_elem(&gw_load, &slot);
		if (best < 0 || (load && *load < best_load)) {
			best = i;
			best_load = load ? *load : 0;
		}
	}
	return best;
}

#endif /* XDPGATE_GATEWAY_H */
