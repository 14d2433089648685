package io.xdpgate.datapath.policy;
import io.xdpgate.abi.Role;

import java.util.Locale;

/** Which ingress interfaces a rule applies to. */
public enum RoleFilter {
    /** External and internal interfaces; never a gateway's, whose packets are not classified. */
    ANY,
    EXTERNAL,
    INTERNAL;

    public boolean admits(Role role) {
        return switch (this) {
            case ANY -> role == Role.EXTERNAL || role == Role.INTERNAL;
            case EXTERNAL -> role == Role.EXTERNAL;
            case INTERNAL -> role == Role.INTERNAL;
        };
    }

    public static RoleFilter parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown interface role \"" + text + "\": use any, external or internal", e);
        }
    }
}
