package io.xdpgate.datapath.tables;

/**
 * Where the packet processor's pipeline runs on an interface: XDP (in the driver, before an skb
 * exists: the cheapest point on a physical NIC) or tc ingress (on the skb: on a veth, where XDP
 * would take GSO/TSO from its peer). One object per hook, both over one set of maps.
 */
public enum Hook {
    XDP(MapNames.PROGRAM, "xdpgate.bpf.o"),
    TC(MapNames.TC_PROGRAM, "xdpgate_tc.bpf.o");

    private final String program;
    private final String objectFile;

    Hook(String program, String objectFile) {
        this.program = program;
        this.objectFile = objectFile;
    }

    /** The program of this hook's object that runs the pipeline. */
    public String program() {
        return program;
    }

    /** The object's file name as `make bpf` writes it (side by side in bpf/build). */
    public String objectFile() {
        return objectFile;
    }
}
