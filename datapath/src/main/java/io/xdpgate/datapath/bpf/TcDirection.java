package io.xdpgate.datapath.bpf;

import io.xdpgate.datapath.jna.BpfTcHook;

/** The clsact hook a tc program runs on. */
public enum TcDirection {
    INGRESS(BpfTcHook.BPF_TC_INGRESS),
    EGRESS(BpfTcHook.BPF_TC_EGRESS);

    final int attachPoint;

    TcDirection(int attachPoint) {
        this.attachPoint = attachPoint;
    }
}
