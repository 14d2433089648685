package io.xdpgate.controlplane.datapath;

import io.xdpgate.abi.Role;
import java.util.Objects;

/** Interfaces selected by a name pattern (pods' veths, which come and go), their role and hook. */
public record PatternBinding(InterfacePattern pattern, Role role, HookChoice hook) {
    public PatternBinding {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(hook, "hook");
        if (role == Role.GATEWAY) {
            throw new IllegalArgumentException("interface pattern " + pattern + ": role must be external or internal");
        }
    }
}
