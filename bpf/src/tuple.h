/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Small operations on struct xg_tuple. */
#ifndef XDPGATE_TUPLE_H
#define XDPGATE_TUPLE_H

#include <linux/types.h>
#include <bpf/bpf_endian.h>
#include "xdpgate_abi.h"

static __always_inline void tuple_reverse(struct xg_tuple *out, const struct xg_tuple *in)
{
	__builtin_memcpy(out->saddr, in->daddr, XG_ADDR_LEN);
	__builtin_memcpy(out->daddr, in->saddr, XG_ADDR_LEN);
	out->sport = in->dport;
	out->dport = in->sport;
	out->proto = in->proto;
	out->family = in->family;
	out->pad[0] = 0;
	out->pad[1] = 0;
}

/* Tuples are compared as five words; padding is always zero. */
static __always_inline int tuple_equal(const struct xg_tuple *a, const struct xg_tuple *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) | (x[4] ^ y[4])) == 0;
}

static __always_inline int addr_equal(const __u8 *a, const __u8 *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

/* IPv4 address into the IPv4-mapped form ::ffff:a.b.c.d. */
static __always_inline void addr_from_v4(__u8 *out, __be32 v4)
{
	__u32 *w = (__u32 *)out;

	w[0] = 0;
	w[1] = 0;
	w[2] = bpf_htonl(0x0000ffff);
	w[3] = v4;
}

/* ::ffff:0:0/96 — how IPv4 is stored here, so an IPv6 packet carrying such
 * an address would be matched as IPv4. */
static __always_inline int addr_is_v4_mapped(const __u8 *addr)
{
	const __u32 *w = (const __u32 *)addr;

	return w[0] == 0 && w[1] == 0 && w[2] == bpf_htonl(0x0000ffff);
}

static __always_inline __be32 addr_to_v4(const __u8 *addr)
{
	return ((const __u32 *)addr)[3];
}

#endif /* XDPGATE_TUPLE_H */
