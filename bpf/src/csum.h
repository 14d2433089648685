/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Incremental internet checksum updates (RFC 1624, eqn. 3:
 * HC' = ~(~HC + ~m + m')). XDP has no l3/l4_csum_replace helpers, so NAT
 * accumulates "~old + new" over every 16-bit word it changes and applies the
 * sum once per checksum field.
 */
#ifndef XDPGATE_CSUM_H
#define XDPGATE_CSUM_H

#include <linux/types.h>

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* Adds the change of one 16-bit word. */
static __always_inline __u32 csum_diff16(__u32 acc, __u16 old, __u16 new)
{
	return acc + (__u16)~old + new;
}

static __always_inline __u32 csum_diff32(__u32 acc, __u32 old, __u32 new)
{
	acc = csum_diff16(acc, (__u16)old, (__u16)new);
	return csum_diff16(acc, (__u16)(old >> 16), (__u16)(new >> 16));
}

/* One's complement sum of a 16-byte address, before folding. */
static __always_inline __u32 csum_sum_addr16(const __u8 *addr)
{
	const __u16 *w = (const __u16 *)addr;
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < 8; i++)
		sum += w[i];
	return sum;
}

/* Change of a 16-byte address. Summing each address first (sum of ~old_i
 * is 8 * 0xffff - sum of old_i) keeps two live values instead of sixteen, so
 * clang does not spill the words onto the small BPF stack. The accumulator
 * stays far below 2^32: a NAT rewrite adds at most ~40 words of 0x1fffe. */
static __always_inline __u32 csum_diff_addr16(__u32 acc, const __u8 *old, const __u8 *new)
{
	return acc + 8 * 0xffff - csum_sum_addr16(old) + csum_sum_addr16(new);
}

/* Applies an accumulated change to a checksum field (network order in
 * memory; one's complement arithmetic is byte-order independent). */
static __always_inline __u16 csum_apply(__u16 check, __u32 diff)
{
	return (__u16)~csum_fold((__u16)~check + diff);
}

#endif /* XDPGATE_CSUM_H */
