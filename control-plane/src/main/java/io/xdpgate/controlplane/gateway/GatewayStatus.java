package io.xdpgate.controlplane.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A hosted gateway as GET /api/v1/gateways shows it.
 *
 * @param interfaces    the packet processor's end and the gateway's end of its veth pair
 * @param state         {@code running} (its socket takes the kernel's frames) or {@code restarting}
 *                      (it failed; its fail mode applies until the restart)
 * @param running       whether the runtime serves now
 * @param flows         connections the runtime tracks (0 while restarting)
 * @param counters      the current runtime's counters (a restarted runtime starts from zero)
 * @param restarts      restarts by cause since the daemon started
 * @param lastRestartCause why it was last restarted, null if never
 * @param lastFailureAt when that failure was noticed, null if never
 */
public record GatewayStatus(List<String> interfaces, String state, boolean running, int flows,
                            Map<String, Long> counters, Map<String, Long> restarts, String lastRestartCause,
                            Instant lastFailureAt) {
}
