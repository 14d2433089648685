package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct bpf_map_batch_opts} (bpf/bpf.h, libbpf 1.1). */
@FieldOrder({"sz", "elem_flags", "flags"})
public class BpfMapBatchOpts extends Structure {
    public long sz;
    public long elem_flags;
    public long flags;

    public BpfMapBatchOpts() {
        sz = size();
    }
}
