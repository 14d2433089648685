package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct bpf_tc_opts} (bpf/libbpf.h, libbpf 1.1). */
@FieldOrder({"sz", "prog_fd", "flags", "prog_id", "handle", "priority"})
public class BpfTcOpts extends Structure {
    /** {@code enum bpf_tc_flags}. */
    public static final int BPF_TC_F_REPLACE = 1;

    public long sz;
    public int prog_fd;
    public int flags;
    public int prog_id;
    public int handle;
    public int priority;

    public BpfTcOpts() {
        sz = size();
    }
}
