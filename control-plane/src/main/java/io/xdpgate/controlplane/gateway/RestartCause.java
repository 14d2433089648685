package io.xdpgate.controlplane.gateway;

import java.util.Locale;

/** Why the watchdog restarted a gateway runtime. */
public enum RestartCause {
    /** Its thread ended with an exception (or ended at all without being told to). */
    DIED,
    /** Its loop made no iteration for longer than the stall timeout. */
    STALLED;

    /** As the API and the metrics name it: lower case. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
