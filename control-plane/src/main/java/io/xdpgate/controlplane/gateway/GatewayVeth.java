package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.datapath.bpf.NetDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The veth pair a local gateway sits behind ("blind track"): the packet processor's end
 * ({@code xgw<n>-0}) and the gateway's end ({@code xgw<n>-1}), in the daemon's network
 * namespace, with nothing else on them. Made with iproute2 and sysctls. {@code n}, the pair's
 * slot, is the gateway's id unless that pair is still taken by the gateway a policy change
 * replaces (then the lowest free number).
 */
record GatewayVeth(int slot, String processorEnd, String gatewayEnd, int processorIfindex, int gatewayIfindex,
                   MacAddr processorMac, MacAddr gatewayMac) {

    static String processorEndName(int slot) {
        return "xgw" + slot + "-0";
    }

    static String gatewayEndName(int slot) {
        return "xgw" + slot + "-1";
    }

    /**
     * Creates pair {@code slot}, replacing a leftover of an earlier run of that name (the caller
     * makes sure it is none of its own).
     *
     * @param address4 the gateway's IPv4 address, put on the near end as a /32 (see below)
     */
    static GatewayVeth create(int slot, Optional<IpAddr> address4) {
        String pp = processorEndName(slot);
        String gw = gatewayEndName(slot);
        runIgnoringFailure("ip", "link", "del", pp);
        run("ip", "link", "add", pp, "numtxqueues", "1", "numrxqueues", "1", "type", "veth", "peer", "name", gw,
                "numtxqueues", "1", "numrxqueues", "1");
        try {
            for (String dev : List.of(pp, gw)) {
                // no link-local address, so the stack sends no ND or router solicitations into the gateway
                sysctl("net/ipv6/conf/" + dev + "/addr_gen_mode", "1");
                // frames cross XDP and AF_XDP: they must carry complete checksums
                run("ethtool", "-K", dev, "tx", "off");
            }
            // Restored frames enter here with the client's source address, which routes elsewhere:
            // loose reverse-path filtering (the higher of all/dev applies) accepts them, but only
            // on a device with an IPv4 address (the kernel rejects any source on one without).
            sysctl("net/ipv4/conf/" + pp + "/rp_filter", "2");
            if (address4.isPresent()) {
                run("ip", "addr", "add", address4.get().toInetAddress().getHostAddress() + "/32", "dev", pp);
            }
            run("ip", "link", "set", gw, "up");
            run("ip", "link", "set", pp, "up");
            return new GatewayVeth(slot, pp, gw, NetDevice.ifindex(pp), NetDevice.ifindex(gw), mac(pp), mac(gw));
        } catch (RuntimeException e) {
            runIgnoringFailure("ip", "link", "del", pp);
            throw e;
        }
    }

    void delete() {
        runIgnoringFailure("ip", "link", "del", processorEnd);
    }

    /**
     * From iproute2: the JDK's NetworkInterface lists only interfaces with an address, and these
     * have none; /sys/class/net may show another network namespace (see DatapathLoader).
     */
    private static MacAddr mac(String dev) {
        Result r = execute("ip", "-o", "link", "show", "dev", dev);
        Matcher m = LINK_ETHER.matcher(r.output);
        if (r.exit != 0 || !m.find()) {
            throw new IllegalStateException("cannot read the MAC address of " + dev + ": " + r.output.strip());
        }
        return MacAddr.parse(m.group(1));
    }

    private static final Pattern LINK_ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

    /** Through /proc/sys, which follows the network namespace of the process. */
    private static void sysctl(String key, String value) {
        Path p = Path.of("/proc/sys").resolve(key);
        try {
            Files.writeString(p, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set " + key.replace('/', '.') + "=" + value + ": " + e.getMessage(), e);
        }
    }

    private static void run(String... command) {
        Result r = execute(command);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exit + "): " + r.output.strip());
        }
    }

    private static void runIgnoringFailure(String... command) {
        execute(command);
    }

    private record Result(int exit, String output) {
    }

    private static Result execute(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + " (is iproute2/ethtool installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
