package io.xdpgate.controlplane.datapath;

import io.xdpgate.datapath.tables.Hook;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The hook an interface's setting asks for: {@link #AUTO} picks tc ingress on a veth (XDP there
 * takes GSO/TSO from its peer, so the stack's own path is faster than XDP_PASS) and XDP on every
 * other device (a NIC's driver runs it before an skb exists).
 */
public enum HookChoice {
    AUTO, XDP, TC;

    /** The setting's value; an unknown one names the setting and the choices. */
    public static HookChoice parse(String setting, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + "=" + value + ": must be one of "
                    + Arrays.stream(values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** The hook for {@code device}; {@code isVeth} is asked only for {@link #AUTO}. */
    public Hook resolve(String device, Predicate<String> isVeth) {
        return switch (this) {
            case XDP -> Hook.XDP;
            case TC -> Hook.TC;
            case AUTO -> isVeth.test(device) ? Hook.TC : Hook.XDP;
        };
    }
}
