package io.xdpgate.datapath.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct bpf_test_run_opts} (bpf/bpf.h, libbpf 1.1). */
@FieldOrder({"sz", "data_in", "data_out", "data_size_in", "data_size_out", "ctx_in", "ctx_out",
        "ctx_size_in", "ctx_size_out", "retval", "repeat", "duration", "flags", "cpu", "batch_size"})
public class BpfTestRunOpts extends Structure {
    public long sz;
    public Pointer data_in;
    public Pointer data_out;
    public int data_size_in;
    public int data_size_out;
    public Pointer ctx_in;
    public Pointer ctx_out;
    public int ctx_size_in;
    public int ctx_size_out;
    public int retval;
    public int repeat;
    public int duration;
    public int flags;
    public int cpu;
    public int batch_size;

    public BpfTestRunOpts() {
        sz = size();
    }
}
