package io.xdpgate.datapath.bpf;

import io.xdpgate.datapath.jna.LibBpfNative;

/** Where an XDP program runs. */
public enum XdpMode {
    /** in the driver (XDP_FLAGS_DRV_MODE); the fast path, not every device has it */
    NATIVE(LibBpfNative.XDP_FLAGS_DRV_MODE),
    /** in the stack after skb allocation (XDP_FLAGS_SKB_MODE); works on every device */
    GENERIC(LibBpfNative.XDP_FLAGS_SKB_MODE),
    /** on the NIC (XDP_FLAGS_HW_MODE); reported by queries, not attachable here */
    OFFLOAD(LibBpfNative.XDP_FLAGS_HW_MODE),
    /** attach: native, else generic; detach: whatever is attached */
    AUTO(0);

    final int flags;

    XdpMode(int flags) {
        this.flags = flags;
    }
}
