package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.controlplane.datapath.NodeCommands;
import io.xdpgate.datapath.bpf.NetDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The veth pair one instance of a local gateway sits behind ("blind track"): the packet
 * processor's end and the gateway's end, in the daemon's network namespace, with nothing else on
 * them. Made with iproute2 (netlink), so that a daemon in a container, whose /proc/sys is read-only,
 * can make them too; the one sysctl, rp_filter, is only read there unless it must change. Instance 0 of pair group {@code n} is {@code xgw<n>-0} /
 * {@code xgw<n>-1}, instance {@code k} {@code xgw<n>i<k>-0} / {@code xgw<n>i<k>-1}. {@code n},
 * the slot, is the gateway's id unless that group is still taken by the gateway a policy change
 * replaces (then the lowest free number).
 *
 * <p>Every instance of a gateway has the same two MAC addresses, derived from the slot: the
 * kernel's gateway entry holds one pair (the destination and source of every redirected frame),
 * whichever instance's veth the frame goes to, and frames must arrive addressed to the device
 * they enter. Each pair is point to point, so the repetition is seen by no one.
 */
record GatewayVeth(int slot, int instance, String processorEnd, String gatewayEnd, int processorIfindex,
                   int gatewayIfindex, MacAddr processorMac, MacAddr gatewayMac) {
    /** How long an ip or ethtool call may take before it counts as failed. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);


    static String processorEndName(int slot, int instance) {
        return group(slot, instance) + "-0";
    }

    static String gatewayEndName(int slot, int instance) {
        return group(slot, instance) + "-1";
    }

    private static String group(int slot, int instance) {
        return GatewayVethNames.PREFIX + slot + (instance == 0 ? "" : "i" + instance);
    }

    /** The MAC of end {@code end} (0: the packet processor's, 1: the gateway's) of every pair of group {@code slot}. */
    static MacAddr macOf(int slot, int end) {
        // locally administered unicast (02:), "xg", then the slot and the end
        return MacAddr.parse(String.format("02:78:67:%02x:%02x:%02x", (slot >> 8) & 0xff, slot & 0xff, end));
    }

    /**
     * Creates pair {@code instance} of group {@code slot}, replacing a leftover of an earlier run
     * of that name (the caller makes sure it is none of its own).
     *
     * @param address4 the gateway's IPv4 address, put on the near end as a /32 (see below)
     */
    static GatewayVeth create(int slot, int instance, Optional<IpAddr> address4) {
        String pp = processorEndName(slot, instance);
        String gw = gatewayEndName(slot, instance);
        MacAddr ppMac = macOf(slot, 0);
        MacAddr gwMac = macOf(slot, 1);
        runIgnoringFailure("ip", "link", "del", pp);
        run("ip", "link", "add", pp, "address", ppMac.toString(), "numtxqueues", "1", "numrxqueues", "1",
                "type", "veth", "peer", "name", gw, "address", gwMac.toString(), "numtxqueues", "1", "numrxqueues", "1");
        try {
            for (String dev : List.of(pp, gw)) {
                // no link-local address, so the stack sends no ND or router solicitations into the gateway
                // (addr_gen_mode 1, set over netlink)
                run("ip", "link", "set", "dev", dev, "addrgenmode", "none");
                // frames cross XDP and AF_XDP: they must carry complete checksums
                run("ethtool", "-K", dev, "tx", "off");
            }
            // Restored frames enter here with the client's source address, which routes elsewhere:
            // loose reverse-path filtering (the higher of all/dev applies) accepts them, but only
            // on a device with an IPv4 address (the kernel rejects any source on one without).
            looseReversePath(pp);
            if (address4.isPresent()) {
                run("ip", "addr", "add", address4.get().toInetAddress().getHostAddress() + "/32", "dev", pp);
            }
            run("ip", "link", "set", gw, "up");
            run("ip", "link", "set", pp, "up");
            return new GatewayVeth(slot, instance, pp, gw, NetDevice.ifindex(pp), NetDevice.ifindex(gw), ppMac, gwMac);
        } catch (RuntimeException e) {
            runIgnoringFailure("ip", "link", "del", pp);
            throw e;
        }
    }

    void delete() {
        runIgnoringFailure("ip", "link", "del", processorEnd);
    }

    /**
     * rp_filter 2 on {@code dev} unless reverse-path filtering there is already off or loose: the
     * kernel applies the higher of {@code all} and the device's value (0 off, 1 strict, 2 loose),
     * and a new device starts with {@code default}'s. Only strict needs a write, which a daemon
     * without a writable /proc/sys (a container) cannot make: then the error says what to set.
     */
    private static void looseReversePath(String dev) {
        int effective = Math.max(sysctl("net/ipv4/conf/all/rp_filter"), sysctl("net/ipv4/conf/" + dev + "/rp_filter"));
        if (effective == 1) {
            Path p = Path.of("/proc/sys/net/ipv4/conf", dev, "rp_filter");
            try {
                Files.writeString(p, "2");
            } catch (IOException e) {
                throw new IllegalStateException("cannot set net.ipv4.conf." + dev + ".rp_filter=2 (" + e.getMessage()
                        + "): reverse-path filtering is strict, which drops the gateway's restored frames; set"
                        + " net.ipv4.conf.all.rp_filter and net.ipv4.conf.default.rp_filter to 0 or 2 on the node", e);
            }
        }
    }

    /** Through /proc/sys, which follows the network namespace of the process. */
    private static int sysctl(String key) {
        Path p = Path.of("/proc/sys").resolve(key);
        try {
            return Integer.parseInt(Files.readString(p).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read " + key.replace('/', '.') + ": " + e.getMessage(), e);
        }
    }

    private static void run(String... command) {
        NodeCommands.Result r = NodeCommands.execute(COMMAND_TIMEOUT, command);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exit() + "): "
                    + r.output().strip());
        }
    }

    private static void runIgnoringFailure(String... command) {
        NodeCommands.execute(COMMAND_TIMEOUT, command);
    }
}
