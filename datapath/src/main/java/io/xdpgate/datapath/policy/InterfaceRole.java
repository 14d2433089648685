package io.xdpgate.datapath.policy;

/** The role of the interface a packet arrived on; values as enum xg_role of the ABI. */
public enum InterfaceRole {
    EXTERNAL(0),
    INTERNAL(1),
    /** A gateway veth. Packets from a gateway are never classified (loop prevention). */
    GATEWAY(2);

    private final int abiValue;

    InterfaceRole(int abiValue) {
        this.abiValue = abiValue;
    }

    /** The xg_role value, which is also the pol_role slot within a generation. */
    public int abiValue() {
        return abiValue;
    }
}
