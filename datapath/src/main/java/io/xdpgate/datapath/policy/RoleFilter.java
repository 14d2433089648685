package io.xdpgate.datapath.policy;

import java.util.Locale;

/** Which ingress interfaces a rule applies to. */
public enum RoleFilter {
    /** External and internal interfaces; never a gateway's, whose packets are not classified. */
    ANY,
    EXTERNAL,
    INTERNAL;

    public boolean admits(InterfaceRole role) {
        return switch (this) {
            case ANY -> role == InterfaceRole.EXTERNAL || role == InterfaceRole.INTERNAL;
            case EXTERNAL -> role == InterfaceRole.EXTERNAL;
            case INTERNAL -> role == InterfaceRole.INTERNAL;
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
