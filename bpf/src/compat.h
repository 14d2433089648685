/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What every supported kernel accepts and runs alike: Debian 12's 6.1 as well
 * as current ones (make check-kernels replays the kernel suite on both).
 * Older verifiers track less, and older helpers return less, than newer ones;
 * each helper here states what 6.1 needs and why.
 */
#ifndef XDPGATE_COMPAT_H
#define XDPGATE_COMPAT_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* bpf_map_update_elem errors worth telling apart. */
#define XG_EEXIST 17

/* The 6.1 verifier forgets every bound of a byte-swapped value (BPF_END
 * leaves an unknown scalar) and then refuses to add it to a packet pointer
 * ("math between pkt pointer and register with unbounded min value"); 6.18
 * keeps the 16-bit range. The compiler knows a swapped u16 fits 16 bits and
 * folds a plain "& 0xffff" away; the AND in asm survives and restates it. */
static __always_inline __u64 ntohs_bounded(__be16 v)
{
	__u64 x = bpf_ntohs(v);

	asm volatile("%0 &= 0xffff" : "+r"(x));
	return x;
}

/* The verifier turns a map update into a direct call of the map's own update
 * function, which returns int in 6.1 (long in newer kernels): there -EEXIST
 * reaches the program as 0x00000000ffffffef, never equal to a 64-bit -17.
 * Only the low 32 bits are the error on every kernel. */
static __always_inline int map_insert(void *map, const void *key, const void *value)
{
	return (int)bpf_map_update_elem(map, key, value, BPF_NOEXIST);
}

#endif /* XDPGATE_COMPAT_H */
