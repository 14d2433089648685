package io.xdpgate.controlplane.policy.model;

import java.util.Locale;

/** What happens to a gateway's new flows while the gateway is not running. */
public enum FailMode {
    /** They are dropped: nothing passes uninspected. The default. */
    CLOSED,
    /** They bypass the gateway: availability over inspection. */
    OPEN;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Absent means closed, the safe choice. */
    public static FailMode parse(String text) {
        if (text == null) {
            return CLOSED;
        }
        for (FailMode m : values()) {
            if (m.jsonName().equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown fail mode \"" + text
                + "\": use closed (drop the gateway's flows while it is down) or open (let them bypass it)");
    }
}
