package io.xdpgate.controlplane.datapath;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.tables.Hook;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * An external or internal interface in the maps: its ifaces slot (role, MAC, whether it runs
 * XDP) and, when the packet processor forwards by FIB lookup, its forwarding port; written before
 * the program is attached so its first packet already finds its role, cleared when it leaves.
 */
final class ManagedInterfaces {
    /** The ifaces value of an interface xdpgate does not manage (an array slot cannot be deleted). */
    static final Iface UNMANAGED = new Iface(Role.EXTERNAL, 0, 0, MacAddr.ZERO, 0);

    private ManagedInterfaces() {
    }

    /** {@code mac} null: read from the JDK. */
    static Attachment attach(BpfProgram program, XdpgateTables tables, String name, int ifindex, MacAddr mac, Role role,
                             Hook hook, XdpMode mode, boolean fibForward) {
        if (ifindex >= Abi.XG_MAX_IFINDEX) {
            throw new IllegalStateException("interface " + name + " has ifindex " + ifindex
                    + "; the ifaces map holds ifindexes below " + Abi.XG_MAX_IFINDEX);
        }
        int flags = hook == Hook.XDP ? Abi.XG_IFACE_F_XDP : 0;
        tables.ifaces().put(ifindex, new Iface(role, 0, 0, mac != null ? mac : macOf(name), flags));
        try {
            if (fibForward) { // fwd_ports is not pinned: each load starts it empty
                tables.fwdPorts().put(ifindex, ifindex);
            }
            return Attachment.attach(program, name, ifindex, hook, mode);
        } catch (RuntimeException e) {
            forget(tables, ifindex, fibForward);
            throw e;
        }
    }

    static void forget(XdpgateTables tables, int ifindex, boolean fibForward) {
        tables.ifaces().put(ifindex, UNMANAGED);
        if (fibForward) {
            tables.fwdPorts().remove(ifindex);
        }
    }

    /**
     * Through the JDK (netlink/ioctl in this process's network namespace), not /sys/class/net:
     * under {@code ip netns exec} /sys is remounted and bpffs under it is a different instance.
     */
    private static MacAddr macOf(String interfaceName) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(interfaceName);
            byte[] mac = nif == null ? null : nif.getHardwareAddress();
            if (mac == null || mac.length != MacAddr.LENGTH) {
                throw new IllegalStateException("interface " + interfaceName + " has no Ethernet address");
            }
            return MacAddr.of(mac);
        } catch (SocketException e) {
            throw new IllegalStateException("cannot read the MAC address of " + interfaceName, e);
        }
    }
}
