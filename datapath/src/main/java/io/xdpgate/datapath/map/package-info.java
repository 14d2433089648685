/**
 * Typed views of BPF maps: a {@link io.xdpgate.abi.Codec} per key and value type turns
 * records into the bytes the kernel stores. Builds on {@code io.xdpgate.datapath.bpf} only.
 */
package io.xdpgate.datapath.map;

import io.xdpgate.abi.Codec;
import io.xdpgate.abi.Codecs;
