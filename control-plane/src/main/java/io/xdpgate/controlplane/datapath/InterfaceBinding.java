package io.xdpgate.controlplane.datapath;

import io.xdpgate.abi.Role;
import java.util.Objects;

/** An interface the packet processor is attached to, what it is to the firewall, and at which hook. */
public record InterfaceBinding(String name, Role role, HookChoice hook) {
    public InterfaceBinding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(hook, "hook");
        if (role == Role.GATEWAY) {
            throw new IllegalArgumentException("interface " + name + ": role must be external or internal; "
                    + "gateway veths are created by the daemon");
        }
    }

    /** At the hook {@link HookChoice#AUTO} picks. */
    public InterfaceBinding(String name, Role role) {
        this(name, role, HookChoice.AUTO);
    }
}
