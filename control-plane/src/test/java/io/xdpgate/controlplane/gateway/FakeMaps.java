package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The gateway maps in memory, with the kernel's rules where they matter (gateways and ifaces are
 * arrays: every slot reads as a value; gw_xsks cannot be read), a log of every write and a switch
 * to make chosen writes fail.
 */
final class FakeMaps implements GatewayMaps {
    final Map<Integer, Gateway> gateways = new TreeMap<>();
    final Map<Integer, Integer> tx = new TreeMap<>();
    final Map<Integer, Integer> xsks = new TreeMap<>();
    final Map<Integer, Iface> ifaces = new TreeMap<>();
    final List<String> writes = new ArrayList<>();
    /** Writes ("putGateway 0", "putXsk 1", ...) for which this is true throw instead. */
    Predicate<String> failing = w -> false;

    /** The first write matching {@code which} fails; the rest (the undo, say) succeed. */
    void failOnce(Predicate<String> which) {
        boolean[] fired = {false};
        failing = w -> {
            if (!fired[0] && which.test(w)) {
                fired[0] = true;
                return true;
            }
            return false;
        };
    }

    private void write(String what) {
        if (failing.test(what)) {
            throw new IllegalStateException("injected failure: " + what);
        }
        writes.add(what);
    }

    /** What an array slot nobody wrote holds. */
    static final Gateway ZERO_GATEWAY = new Gateway(io.xdpgate.abi.IpAddr.ZERO, io.xdpgate.abi.IpAddr.ZERO, 0, 0, 0, 0,
            0, 0, 0, io.xdpgate.abi.MacAddr.ZERO, io.xdpgate.abi.MacAddr.ZERO, 0);

    @Override
    public Optional<Gateway> gateway(int id) {
        return Optional.of(gateways.getOrDefault(id, ZERO_GATEWAY));
    }

    @Override
    public void putGateway(int id, Gateway gateway) {
        write("putGateway " + id);
        if (gateway.equals(ZERO_GATEWAY)) {
            gateways.remove(id);
        } else {
            gateways.put(id, gateway);
        }
    }

    @Override
    public void putTx(int id, int instance, int ifindex) {
        write("putTx " + slot(id, instance));
        tx.put(Gateway.slot(id, instance), ifindex);
    }

    @Override
    public void removeTx(int id, int instance) {
        write("removeTx " + slot(id, instance));
        tx.remove(Gateway.slot(id, instance));
    }

    @Override
    public void putXsk(int id, int instance, int socketFd) {
        write("putXsk " + slot(id, instance));
        xsks.put(Gateway.slot(id, instance), socketFd);
    }

    @Override
    public void removeXsk(int id, int instance) {
        write("removeXsk " + slot(id, instance));
        xsks.remove(Gateway.slot(id, instance));
    }

    @Override
    public Optional<Iface> iface(int ifindex) {
        return Optional.of(ifaces.getOrDefault(ifindex, NO_IFACE));
    }

    @Override
    public void putIface(int ifindex, Iface iface) {
        write("putIface " + ifindex);
        if (iface.equals(NO_IFACE)) {
            ifaces.remove(ifindex);
        } else {
            ifaces.put(ifindex, iface);
        }
    }

    /** Whether the packet processor would count gateway {@code id} up: active, and some instance's socket registered. */
    boolean up(int id) {
        Gateway g = gateways.get(id);
        if (g == null || !g.hasFlag(io.xdpgate.abi.Abi.XG_GW_F_ACTIVE)) {
            return false;
        }
        if (!g.hasFlag(io.xdpgate.abi.Abi.XG_GW_F_XSK)) {
            return true;
        }
        for (int i = 0; i < Math.max(1, g.instances()); i++) {
            if (xsks.containsKey(Gateway.slot(id, i))) {
                return true;
            }
        }
        return false;
    }

    /** How the write log and the tests name an instance slot: "id" for instance 0, "id/k" for others. */
    static String slot(int id, int instance) {
        return instance == 0 ? Integer.toString(id) : id + "/" + instance;
    }

    /** The gw_xsks entry of instance {@code instance} of gateway {@code id}, or null. */
    Integer xsk(int id, int instance) {
        return xsks.get(Gateway.slot(id, instance));
    }

    /** The gw_tx entry of instance {@code instance} of gateway {@code id}, or null. */
    Integer tx(int id, int instance) {
        return tx.get(Gateway.slot(id, instance));
    }

    /** A deep copy of the state, for comparing before and after. */
    String state() {
        return "gateways=" + gateways + " tx=" + tx + " xsks=" + xsks + " ifaces=" + ifaces;
    }
}
