package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Gateway;

/**
 * Whether the packet processor sends a gateway's flows to it: its kernel entry has the ACTIVE
 * flag and, for a gateway with sockets, one of its runtimes serves (false while it restarts).
 * GET /api/v1/gateways's {@code active} and {@code xdpgate_gateway_up} are this one answer.
 */
public final class GatewayLiveness {
    private GatewayLiveness() {
    }

    /** {@code entry}: its kernel entry, null if none; {@code hosted}: its runtime's state, null if not hosted here. */
    public static boolean active(Gateway entry, GatewayStatus hosted) {
        boolean flagged = entry != null && entry.hasFlag(Abi.XG_GW_F_ACTIVE);
        return flagged && (!entry.hasFlag(Abi.XG_GW_F_XSK) || hosted != null && hosted.running());
    }
}
