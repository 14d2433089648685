package io.xdpgate.datapath.bpf;

import io.xdpgate.datapath.jna.LibBpfNative;

/** How {@link BpfMap#update} treats an existing or missing key. */
public enum UpdateFlag {
    /** create or replace */
    ANY(LibBpfNative.BPF_ANY),
    /** create only; an existing key fails with EEXIST */
    NOEXIST(LibBpfNative.BPF_NOEXIST),
    /** replace only; a missing key fails with ENOENT */
    EXIST(LibBpfNative.BPF_EXIST);

    final long bits;

    UpdateFlag(long bits) {
        this.bits = bits;
    }
}
