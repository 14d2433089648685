package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct bpf_xdp_attach_opts} (bpf/libbpf.h, libbpf 1.1); the trailing {@code size_t :0} is JNA's alignment padding. */
@FieldOrder({"sz", "old_prog_fd"})
public class BpfXdpAttachOpts extends Structure {
    public long sz;
    public int old_prog_fd;

    public BpfXdpAttachOpts() {
        sz = size();
    }
}
