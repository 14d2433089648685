/**
 * The thin native layer: JNA mappings of libbpf 1.1 and the few libc functions the binding needs,
 * and structures that mirror the C structs byte for byte. Nothing here decides anything; the typed
 * API in {@code io.xdpgate.datapath.bpf} does.
 *
 * <p>Every mapping assumes a 64-bit Linux (LP64): {@code size_t} and {@code unsigned long} are Java
 * {@code long}, {@code int}/{@code __u32} are Java {@code int}. Opts structs mirror
 * {@code /usr/include/bpf/*.h} of libbpf 1.1 field for field, including the {@code sz} member that
 * libbpf reads to learn which fields the caller knows.
 */
package io.xdpgate.datapath.jna;
