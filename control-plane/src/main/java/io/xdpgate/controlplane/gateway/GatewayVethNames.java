package io.xdpgate.controlplane.gateway;

/**
 * The names of the veths the daemon makes for its gateways ({@code xgw<n>-0}, {@code xgw<n>i<k>-1}):
 * its own devices, which no interface pattern may ever select (they carry role gateway, and
 * attaching the external/internal pipeline to them would classify the gateways' own traffic).
 */
public final class GatewayVethNames {
    public static final String PREFIX = "xgw";

    private GatewayVethNames() {
    }

    public static boolean isGatewayVeth(String name) {
        return name.startsWith(PREFIX);
    }
}
