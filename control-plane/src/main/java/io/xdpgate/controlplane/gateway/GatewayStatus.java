package io.xdpgate.controlplane.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A hosted gateway as GET /api/v1/gateways shows it: the sum of its instances, and each of them.
 *
 * @param interfaces    the packet processor's end and the gateway's end of each instance's veth pair
 * @param state         {@code running} (every instance's socket takes the kernel's frames),
 *                      {@code degraded} (some do: new flows go to those) or {@code restarting}
 *                      (none does; its fail mode applies until a restart)
 * @param running       whether any instance serves now
 * @param flows         connections its instances track (a restarting one counts 0)
 * @param heldBytes     bytes its instances hold (payload awaiting approval, released bytes not yet acknowledged)
 * @param counters      its instances' counters added up (a restarted runtime starts from zero)
 * @param restarts      restarts by cause since the daemon started, all instances
 * @param lastRestartCause why an instance was last restarted, null if never
 * @param lastFailureAt when that failure was noticed, null if never
 * @param instances     each instance on its own
 */
public record GatewayStatus(List<String> interfaces, String state, boolean running, int flows, long heldBytes,
                            Map<String, Long> counters, Map<String, Long> restarts, String lastRestartCause,
                            Instant lastFailureAt, List<Instance> instances) {

    /**
     * @param instance   its number (its slot in gw_tx, gw_xsks and gw_load is id * 8 + instance)
     * @param interfaces its pair's two ends
     * @param state      {@code running} or {@code restarting}
     * @param flows      connections it tracks: the load it reports to the packet processor
     * @param heldBytes  bytes its runtime holds
     * @param counters   its runtime's counters
     */
    public record Instance(int instance, List<String> interfaces, String state, int flows, long heldBytes,
                           Map<String, Long> counters, String lastRestartCause, Instant lastFailureAt) {
    }
}
