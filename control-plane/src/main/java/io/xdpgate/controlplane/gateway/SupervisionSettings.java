package io.xdpgate.controlplane.gateway;

import java.time.Duration;

/**
 * How the watchdog watches the hosted gateways.
 *
 * @param interval     how often it looks (every gateway's heartbeat and thread)
 * @param stallTimeout a runtime loop without an iteration for longer is stuck (an idle loop
 *                     iterates every 100 ms)
 * @param restartDelay wait after a failure before the restart; doubled for each further failure in
 *                     a row, up to {@link #MAX_RESTART_DELAY}; a runtime that ran for
 *                     {@link #HEALTHY} starts the count afresh
 */
public record SupervisionSettings(Duration interval, Duration stallTimeout, Duration restartDelay) {
    public static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(30);
    public static final Duration HEALTHY = Duration.ofSeconds(60);
    public static final SupervisionSettings DEFAULT = new SupervisionSettings(Duration.ofMillis(100),
            Duration.ofMillis(800), Duration.ofMillis(100));

    public SupervisionSettings {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("xdpgate.gateways.watchdog-interval must be positive, got " + interval);
        }
        if (stallTimeout.compareTo(Duration.ofMillis(200)) < 0) {
            throw new IllegalArgumentException("xdpgate.gateways.stall-timeout must be at least 200ms (an idle loop "
                    + "iterates every 100ms), got " + stallTimeout);
        }
        if (interval.compareTo(stallTimeout.dividedBy(2)) >= 0) {
            throw new IllegalArgumentException("xdpgate.gateways.watchdog-interval (" + interval + ") must be under half "
                    + "the stall timeout (" + stallTimeout + ")");
        }
        if (restartDelay.isNegative()) {
            throw new IllegalArgumentException("xdpgate.gateways.restart-delay cannot be negative, got " + restartDelay);
        }
    }

    /** The wait before the restart after {@code failuresInARow} failures (1 for the first). */
    Duration delayAfter(int failuresInARow) {
        Duration d = restartDelay;
        for (int i = 1; i < failuresInARow && d.compareTo(MAX_RESTART_DELAY) < 0; i++) {
            d = d.isZero() ? Duration.ofMillis(100) : d.multipliedBy(2);
        }
        return d.compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY : d;
    }
}
