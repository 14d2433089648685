package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct bpf_xdp_query_opts} (bpf/libbpf.h, libbpf 1.1); every field but {@code sz} is output. */
@FieldOrder({"sz", "prog_id", "drv_prog_id", "hw_prog_id", "skb_prog_id", "attach_mode"})
public class BpfXdpQueryOpts extends Structure {
    /** {@code enum XDP_ATTACHED_*} of linux/if_link.h, the values of {@link #attach_mode}. */
    public static final int XDP_ATTACHED_NONE = 0;
    public static final int XDP_ATTACHED_DRV = 1;
    public static final int XDP_ATTACHED_SKB = 2;
    public static final int XDP_ATTACHED_HW = 3;
    public static final int XDP_ATTACHED_MULTI = 4;

    public long sz;
    public int prog_id;
    public int drv_prog_id;
    public int hw_prog_id;
    public int skb_prog_id;
    public byte attach_mode;

    public BpfXdpQueryOpts() {
        sz = size();
    }
}
