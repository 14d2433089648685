package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct xdp_md} (linux/bpf.h): the XDP context as BPF_PROG_TEST_RUN takes and returns it. */
@FieldOrder({"data", "data_end", "data_meta", "ingress_ifindex", "rx_queue_index", "egress_ifindex"})
public class XdpMd extends Structure {
    public int data;
    public int data_end;
    public int data_meta;
    public int ingress_ifindex;
    public int rx_queue_index;
    public int egress_ifindex;
}
