package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import java.util.Optional;

/**
 * The packet processor's maps that describe gateways, as the gateway host writes them: an
 * interface so transitions and supervision can be tested without a kernel.
 *
 * <p>{@code gateways} and {@code ifaces} are BPF arrays, whose slots always exist and cannot be
 * deleted (the kernel answers EINVAL): they are cleared by writing a zero value
 * ({@link #NO_IFACE}: role external, no gateway). {@code gw_tx} (devmap) and {@code gw_xsks}
 * (xskmap) entries can be removed; gw_xsks cannot be read from user space. Both are indexed by
 * instance slot ({@link Gateway#slot(int, int)}).
 */
interface GatewayMaps {
    /** What an ifaces slot holds for an interface nobody described: treated as external. */
    Iface NO_IFACE = new Iface(Role.EXTERNAL, 0, MacAddr.ZERO);

    Optional<Gateway> gateway(int id);

    void putGateway(int id, Gateway gateway);

    /**
     * gw_tx at instance {@code instance} of gateway {@code id} = the ifindex its redirected frames
     * leave through (the write only: what it held, the host knows).
     */
    void putTx(int id, int instance, int ifindex);

    void removeTx(int id, int instance);

    /** gw_xsks at the instance's slot = the socket; replaces (and so unregisters) a socket there before. */
    void putXsk(int id, int instance, int socketFd);

    /** The socket leaves gw_xsks: from the next packet on, the instance counts as down. */
    void removeXsk(int id, int instance);

    Optional<Iface> iface(int ifindex);

    /** Writes an ifaces slot; {@link #NO_IFACE} clears it. */
    void putIface(int ifindex, Iface iface);
}
