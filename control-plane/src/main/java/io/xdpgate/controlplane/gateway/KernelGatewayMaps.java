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
    public void putTx(int id, int instance, int ifindex) {
        tables.gwTx().put(Gateway.slot(id, instance), ifindex);
    }

    @Override
    public void removeTx(int id, int instance) {
        tables.gwTx().remove(Gateway.slot(id, instance));
    }

    @Override
    public void putXsk(int id, int instance, int socketFd) {
        tables.gwXsks().put(Gateway.slot(id, instance), socketFd);
    }

    @Override
    public void removeXsk(int id, int instance) {
        tables.gwXsks().remove(Gateway.slot(id, instance));
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
