package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.util.Optional;

/** {@link GatewayMaps} on the loaded packet processor. */
final class KernelGatewayMaps implements GatewayMaps {
    private final XdpgateTables tables;

    KernelGatewayMaps(XdpgateTables tables) {
        this.tables = tables;
    }

    @Override
    public Optional<Gateway> gateway(int id) {
        return tables.gateways().get(id);
    }

    @Override
    public void putGateway(int id, Gateway gateway) {
        tables.gateways().put(id, gateway);
    }

    @Override
    public void putTx(int id, int ifindex) {
        tables.gwTx().put(id, ifindex);
    }

    @Override
    public void removeTx(int id) {
        tables.gwTx().remove(id);
    }

    @Override
    public void putXsk(int id, int socketFd) {
        tables.gwXsks().put(id, socketFd);
    }

    @Override
    public void removeXsk(int id) {
        tables.gwXsks().remove(id);
    }

    @Override
    public Optional<Iface> iface(int ifindex) {
        return tables.ifaces().get(ifindex);
    }

    @Override
    public void putIface(int ifindex, Iface iface) {
        // an array: never remove (EINVAL), write the zero entry instead
        tables.ifaces().put(ifindex, iface);
    }
}
