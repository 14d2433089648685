/**
 * A typed, Java-friendly API over libbpf: objects, programs, maps, ring buffers, BTF, bpffs.
 * No xdpgate domain knowledge lives here; the ABI mirror and typed maps build on it.
 *
 * <p>Every failing native call throws the unchecked {@link io.xdpgate.datapath.bpf.BpfException},
 * which carries errno and the libbpf messages printed during the call (a verifier rejection shows
 * the verifier log). Check {@link io.xdpgate.datapath.bpf.Libbpf#isAvailable()} before touching the
 * kernel.
 */
package io.xdpgate.datapath.bpf;
