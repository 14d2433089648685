/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The hook the pipeline runs at. One set of sources builds two objects:
 * xdpgate.bpf.o for XDP (physical devices: the earliest, cheapest point) and,
 * with -DXG_HOOK_TC, xdpgate_tc.bpf.o for tc ingress (veths: XDP there takes
 * GSO/TSO away from the peer, tc keeps it). Everything that differs between
 * the two is here; the pipeline only speaks xg_ctx and these helpers.
 */
#ifndef XDPGATE_HOOK_H
#define XDPGATE_HOOK_H

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"

#ifdef XG_HOOK_TC
typedef struct __sk_buff xg_ctx;
#define XG_VERDICT_PASS TC_ACT_OK
#define XG_VERDICT_DROP TC_ACT_SHOT
#else
typedef struct xdp_md xg_ctx;
#define XG_VERDICT_PASS XDP_PASS
#define XG_VERDICT_DROP XDP_DROP
#endif

/* How far into the packet the pipeline reads headers directly: the deepest
 * L4 header (XG_MAX_L4_OFF + a TCP header with options) and an ICMP error's
 * quote. At tc they must be in the skb's linear part (bpf_skb_pull_data). */
#define XG_HEADERS_MAX 640

static __always_inline void *ctx_data(xg_ctx *ctx)
{
	return (void *)(long)ctx->data;
}

static __always_inline void *ctx_end(xg_ctx *ctx)
{
	return (void *)(long)ctx->data_end;
}

/* The whole frame's length (at tc, paged data included). */
static __always_inline __u32 ctx_len(xg_ctx *ctx)
{
#ifdef XG_HOOK_TC
	return ctx->len;
#else
	return ctx->data_end - ctx->data;
#endif
}

/* The interface the packet arrived on (at tc ingress that is skb->dev, which
 * BPF_PROG_TEST_RUN also sets; ingress_ifindex it leaves 0). */
static __always_inline __u32 ctx_ifindex(xg_ctx *ctx)
{
#ifdef XG_HOOK_TC
	return ctx->ifindex;
#else
	return ctx->ingress_ifindex;
#endif
}

static __always_inline long ctx_load_bytes(xg_ctx *ctx, __u32 off, void *to, __u32 len)
{
#ifdef XG_HOOK_TC
	return bpf_skb_load_bytes(ctx, off, to, len);
#else
	return bpf_xdp_load_bytes(ctx, off, to, len);
#endif
}

/* Makes the headers directly readable (tc: pulls them into the linear part;
 * XDP: they are). Invalidates packet pointers. */
static __always_inline void ctx_pull_headers(xg_ctx *ctx)
{
#ifdef XG_HOOK_TC
	__u32 want = ctx->len < XG_HEADERS_MAX ? ctx->len : XG_HEADERS_MAX;

	/* Usually the headers are linear already: skip the helper then. A
	 * failed pull leaves them short, and the parser drops the packet as
	 * truncated (counted). */
	if (ctx_data(ctx) + want > ctx_end(ctx))
		bpf_skb_pull_data(ctx, want);
#endif
}

/* Sends the packet out of interface ifindex. XDP redirects through a devmap,
 * which must hold that interface at key (the caller checked); tc redirects to
 * the interface itself. */
static __always_inline long ctx_redirect(void *devmap, __u32 key, __u32 ifindex)
{
#ifdef XG_HOOK_TC
	return bpf_redirect(ifindex, 0);
#else
	return bpf_redirect_map(devmap, key, XDP_DROP);
#endif
}

#endif /* XDPGATE_HOOK_H */
