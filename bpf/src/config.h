/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Load-time settings. The control plane writes them into .rodata before the
 * object is loaded; the verifier then prunes the branches they switch off.
 */
#ifndef XDPGATE_CONFIG_H
#define XDPGATE_CONFIG_H

#include <linux/types.h>
#include "xdpgate_abi.h"

/* 1: a TCP segment other than SYN without a connection is dropped (a stateful
 * firewall's normal stance). 0: it is classified like a new flow, which lets
 * connections that predate the firewall continue ("pickup"). */
const volatile __u8 cfg_tcp_strict = 1;

/* 1: refused new flows produce an XG_EV_DROP event. A flood of refused flows
 * then costs a ring-buffer reservation each; 0 keeps drops to counters. */
const volatile __u8 cfg_drop_events = 1;

/* Most connection entries, and most redirected ones (each holds a gateway
 * pool port), one source address may hold; 0: no limit. A client over it
 * gets XG_DROP_SRC_LIMIT, so one host cannot fill a table or a pool alone. */
const volatile __u32 cfg_conns_per_src = 0;
const volatile __u32 cfg_redirects_per_src = 0;

/* 1: an admitted packet is forwarded by FIB lookup and redirect when the route
 * leads out of an interface xdpgate manages (fwd_ports), past the stack's
 * forwarding path; 0: every admitted packet goes to the stack, which routes it
 * (and runs its own netfilter rules on it). */
const volatile __u8 cfg_forward = 0;

/* How long the expectation a rule's paired port writes (expect_pair) waits
 * for its flow: the second port of an RTP/RTCP-style pair follows the first
 * within moments, and an unused one is deleted when found past this. */
const volatile __u64 cfg_pair_ttl_ns = 30ULL * 1000 * 1000 * 1000;

/* Puts every ABI type into the object's BTF, so the Java mirror can be
 * checked against the compiled layout (AbiLayoutTest). Never read. */
struct xg_abi_anchor {
	struct xg_event event;
	struct xg_meta meta;
	enum xg_stat stat;
	enum xg_role role;
	enum xg_action action;
	enum xg_tcp_state tcp_state;
	enum xg_event_type event_type;
	struct xg_src_key src_key;
	struct xg_src_count src_count;
};
const volatile struct xg_abi_anchor xg_abi_anchor;

#endif /* XDPGATE_CONFIG_H */
