package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct bpf_tc_hook} (bpf/libbpf.h, libbpf 1.1). */
@FieldOrder({"sz", "ifindex", "attach_point", "parent"})
public class BpfTcHook extends Structure {
    /** {@code enum bpf_tc_attach_point}. */
    public static final int BPF_TC_INGRESS = 1;
    public static final int BPF_TC_EGRESS = 1 << 1;
    public static final int BPF_TC_CUSTOM = 1 << 2;

    public long sz;
    public int ifindex;
    public int attach_point;
    public int parent;

    public BpfTcHook() {
        sz = size();
    }
}
