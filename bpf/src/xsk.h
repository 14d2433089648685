/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The hop into a local gateway instance's AF_XDP socket, at the gateway end
 * of its veth (xgw1), with the metadata the gateway reads in front of each
 * frame. The frame carries only the NAT tuple; the connection it belongs to
 * is found the way packets coming back are (nat_rev), so the packet
 * processor may have redirected it from either hook: XDP could write the
 * metadata where it redirects, tc cannot (an skb has no room for it). XDP
 * only: the far end of a gateway veth always runs XDP.
 */
#ifndef XDPGATE_XSK_H
#define XDPGATE_XSK_H

#ifdef XG_HOOK_TC
#error "xsk.h is XDP only: the gateway end of a gateway veth runs XDP"
#endif

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "hook.h"
#include "gateway.h"
#include "maps.h"
#include "nat.h"
#include "parse.h"
#include "stats.h"

/* Puts struct xg_meta in front of the frame. Invalidates every packet
 * pointer. */
static __always_inline int xsk_meta_write(struct xdp_md *ctx, const struct xg_conn *c,
					  const struct xg_tuple *orig, __u8 dir)
{
	struct xg_meta *m;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m)))
		return -1;
	data = (void *)(long)ctx->data;
	m = (void *)(long)ctx->data_meta;
	if ((void *)(m + 1) > data)
		return -1;
	m->conn_id = c->id;
	__builtin_memcpy(m->orig_addr, orig->daddr, XG_ADDR_LEN);
	m->orig_port = orig->dport;
	m->dir = dir;
	m->flags = (c->flags & XG_CONN_F_SNAT) ? XG_META_F_SNAT : 0;
	m->magic = XG_META_MAGIC;
	return 0;
}

/* Every frame the packet processor redirected into the pair goes to that
 * instance's socket. The interface's ifaces entry (role GATEWAY) names the
 * gateway and the instance. A frame of no known connection (one that ended
 * on the way) is dropped: the gateway could not place it. The metadata is
 * written before the socket is looked up, so a test run shows it. */
static __always_inline int xsk_deliver(struct xdp_md *ctx)
{
	struct xg_stats *st = stats_get();
	__u32 ifindex = ctx->ingress_ifindex, gw_id, slot;
	struct xg_iface *ifc = bpf_map_lookup_elem(&ifaces, &ifindex);
	struct xg_pkt pkt = {};
	struct xg_nat_key key;
	struct xg_gateway *gw;
	struct xg_tuple *orig;
	struct xg_conn *c;
	__u8 dir;

	if (!ifc || ifc->role != XG_ROLE_GATEWAY)
		return verdict_drop(st, XG_DROP_GW_DOWN);
	gw_id = ifc->gw_id;
	gw = bpf_map_lookup_elem(&gateways, &gw_id);
	if (!gw || parse_packet(ctx, &pkt) != XG_PARSE_OK || nat_gw_key(gw, gw_id, &pkt.tuple, &key, &dir))
		return verdict_drop(st, XG_DROP_META);
	orig = bpf_map_lookup_elem(&nat_rev, &key);
	c = orig ? bpf_map_lookup_elem(&conns, orig) : 0;
	if (!c || xsk_meta_write(ctx, c, orig, dir))
		return verdict_drop(st, XG_DROP_META);
	slot = gw_slot(gw_id, ifc->gw_inst);
	if (!bpf_map_lookup_elem(&gw_xsks, &slot))
		return verdict_drop(st, XG_DROP_GW_DOWN);
	return bpf_redirect_map(&gw_xsks, slot, XDP_DROP);
}

#endif /* XDPGATE_XSK_H */
