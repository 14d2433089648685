package io.xdpgate.controlplane.datapath;

import java.time.Duration;

/**
 * What kind of link a device is, from iproute2's detailed view: through netlink in this
 * process's namespace (under {@code nsenter --net} /sys/class/net still shows the host's devices).
 */
public final class LinkKind {
    private LinkKind() {
    }

    public static boolean isVeth(String device) {
        return "veth".equals(kind(device));
    }

    /** iproute2's info_kind ("veth", "bridge", ...), or "" for a plain device such as a NIC. */
    static String kind(String device) {
        String json = ipDetails(device);
        int at = json.indexOf("\"info_kind\":\"");
        if (at < 0) {
            return "";
        }
        int from = at + "\"info_kind\":\"".length();
        return json.substring(from, json.indexOf('"', from));
    }

    private static String ipDetails(String device) {
        NodeCommands.Result r = NodeCommands.execute(Duration.ofSeconds(10), "ip", "-d", "-j", "link", "show", "dev",
                device);
        if (r.exit() != 0) {
            throw new IllegalStateException("interface " + device + ": ip link show failed: " + r.output().strip());
        }
        return r.output();
    }
}
