package io.xdpgate.datapath.bpf;

/** A tc BPF filter on a clsact hook; handle and priority identify it for detach and query. */
public record TcAttachment(int ifindex, TcDirection direction, int handle, int priority, int progId) {
}
