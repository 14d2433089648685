package io.xdpgate.datapath.packet;

/** Ethernet type field values the builder and the view know by name. */
public final class EtherTypes {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int VLAN_8021Q = 0x8100;
    public static final int IPV6 = 0x86dd;
    public static final int VLAN_8021AD = 0x88a8;

    private EtherTypes() {
    }

    /** True for the tag protocol identifiers of 802.1Q and 802.1ad (QinQ) tags. */
    public static boolean isVlanTag(int etherType) {
        return etherType == VLAN_8021Q || etherType == VLAN_8021AD;
    }
}
