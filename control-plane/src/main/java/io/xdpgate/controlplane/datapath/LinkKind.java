package io.xdpgate.controlplane.datapath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

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
        try {
            Process p = new ProcessBuilder("ip", "-d", "-j", "link", "show", "dev", device).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("interface " + device + ": ip link show failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ip (is iproute2 installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking for the kind of " + device, e);
        }
    }
}
