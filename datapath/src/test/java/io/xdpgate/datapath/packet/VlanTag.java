package io.xdpgate.datapath.packet;

/**
 * One VLAN tag as it sits on the wire: the tag protocol identifier (0x8100 for
 * 802.1Q, 0x88a8 for an 802.1ad service tag) followed by the tag control
 * information (priority, drop eligible, VLAN id).
 */
public record VlanTag(int tpid, int priority, boolean dropEligible, int vid) {

    public VlanTag {
        if (tpid < 0 || tpid > 0xffff) {
            throw new IllegalArgumentException("VLAN TPID must fit 16 bits: " + tpid);
        }
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("VLAN priority must be 0..7: " + priority);
        }
        if (vid < 0 || vid > 0xfff) {
            throw new IllegalArgumentException("VLAN id must be 0..4095: " + vid);
        }
    }

    public static VlanTag dot1q(int vid) {
        return new VlanTag(EtherTypes.VLAN_8021Q, 0, false, vid);
    }

    public static VlanTag dot1ad(int vid) {
        return new VlanTag(EtherTypes.VLAN_8021AD, 0, false, vid);
    }

    static VlanTag of(int tpid, int tci) {
        return new VlanTag(tpid, tci >>> 13, (tci & 0x1000) != 0, tci & 0xfff);
    }

    public int tci() {
        return priority << 13 | (dropEligible ? 0x1000 : 0) | vid;
    }
}
