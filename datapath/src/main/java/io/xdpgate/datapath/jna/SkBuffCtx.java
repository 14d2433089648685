package io.xdpgate.datapath.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * The head of {@code struct __sk_buff} (linux/bpf.h) up to {@code tc_index}: the part of a tc
 * program's context BPF_PROG_TEST_RUN takes in. Of these the kernel accepts only mark, priority
 * and ifindex set (the device the skb arrives on); the rest must stay zero.
 */
@FieldOrder({"len", "pkt_type", "mark", "queue_mapping", "protocol", "vlan_present", "vlan_tci", "vlan_proto",
        "priority", "ingress_ifindex", "ifindex", "tc_index"})
public class SkBuffCtx extends Structure {
    public int len;
    public int pkt_type;
    public int mark;
    public int queue_mapping;
    public int protocol;
    public int vlan_present;
    public int vlan_tci;
    public int vlan_proto;
    public int priority;
    public int ingress_ifindex;
    public int ifindex;
    public int tc_index;
}
