package io.xdpgate.datapath.netlink;

import java.util.Objects;

/** A network device as rtnetlink names it: its ifindex and its current name. */
public record Link(int ifindex, String name) {
    public Link {
        Objects.requireNonNull(name, "name");
        if (ifindex <= 0) {
            throw new IllegalArgumentException("link " + name + ": ifindex " + ifindex + " is not positive");
        }
    }
}
