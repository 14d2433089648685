package io.xdpgate.datapath.netlink;

import io.xdpgate.abi.MacAddr;
import java.util.Objects;

/**
 * A network device as rtnetlink names it: its ifindex, its current name and its Ethernet address
 * (IFLA_ADDRESS; null when it has none of 6 bytes). From netlink, not the JDK: the JDK finds a
 * device only once it has an address (a pod's fresh veth has none, and IPv6 may be off).
 */
public record Link(int ifindex, String name, MacAddr mac) {
    public Link {
        Objects.requireNonNull(name, "name");
        if (ifindex <= 0) {
            throw new IllegalArgumentException("link " + name + ": ifindex " + ifindex + " is not positive");
        }
    }

    /** Without an Ethernet address. */
    public Link(int ifindex, String name) {
        this(ifindex, name, null);
    }
}
