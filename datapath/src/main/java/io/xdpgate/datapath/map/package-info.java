/**
 * Typed views of BPF maps: a {@link io.xdpgate.datapath.map.Codec} per key and value type turns
 * records into the bytes the kernel stores. Builds on {@code io.xdpgate.datapath.bpf} only.
 */
package io.xdpgate.datapath.map;
