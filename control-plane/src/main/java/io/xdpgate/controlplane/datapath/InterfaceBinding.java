package io.xdpgate.controlplane.datapath;

import io.xdpgate.abi.Role;
import java.util.Objects;

/** An interface the packet processor is attached to, and what it is to the firewall. */
public record InterfaceBinding(String name, Role role) {
    public InterfaceBinding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        if (role == Role.GATEWAY) {
            throw new IllegalArgumentException("interface " + name + ": role must be external or internal; "
                    + "gateway veths are created by the daemon");
        }
    }
}
