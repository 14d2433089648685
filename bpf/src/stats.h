/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Counters and flow events. */
#ifndef XDPGATE_STATS_H
#define XDPGATE_STATS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpgate_abi.h"
#include "hook.h"
#include "config.h"
#include "maps.h"

static __always_inline struct xg_stats *stats_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

static __always_inline void stat_inc(struct xg_stats *st, __u32 which)
{
	if (st && which < XG_STAT_COUNT)
		st->count[which]++;
}

/* The one way a packet is dropped: the reason counter and the total move. */
static __always_inline int verdict_drop(struct xg_stats *st, __u32 reason)
{
	stat_inc(st, reason);
	stat_inc(st, XG_STAT_DROP);
	return XG_VERDICT_DROP;
}

static __always_inline int verdict_pass(struct xg_stats *st)
{
	stat_inc(st, XG_STAT_PASS);
	return XG_VERDICT_PASS;
}

/* Events waiting in the ring before the reader is woken (it also polls every 100 ms). */
#define XG_EVENT_WAKEUP_BYTES (64 * sizeof(struct xg_event))

static __always_inline void event_emit(struct xg_stats *st, __u8 type, __u8 reason, __u64 conn_id,
				       const struct xg_tuple *orig, const struct xg_tuple *nat,
				       __u32 rule_id, __u16 gw_id)
{
	struct xg_event *ev;

	if (type == XG_EV_DROP && !cfg_drop_events)
		return;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		stat_inc(st, XG_STAT_EVENT_LOST);
		return;
	}
	ev->ts_ns = bpf_ktime_get_coarse_ns();
	ev->conn_id = conn_id;
	__builtin_memcpy(&ev->orig, orig, sizeof(ev->orig));
	if (nat)
		__builtin_memcpy(&ev->nat, nat, sizeof(ev->nat));
	else
		__builtin_memset(&ev->nat, 0, sizeof(ev->nat));
	ev->rule_id = rule_id;
	ev->gw_id = gw_id;
	ev->type = type;
	ev->reason = reason;
	/* The reader polls every 100 ms anyway: waking it for every event (two per
	 * connection) cost a third of the new connections per second on 2 cores
	 * (measured in the lab); it is woken once a batch is waiting. */
	bpf_ringbuf_submit(ev, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= XG_EVENT_WAKEUP_BYTES
			       ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

#endif /* XDPGATE_STATS_H */
