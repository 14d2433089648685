package io.xdpgate.datapath.bpf;

/** An XDP program on an interface: which one and in which mode (never {@link XdpMode#AUTO}). */
public record XdpAttachment(int ifindex, int progId, XdpMode mode) {
}
