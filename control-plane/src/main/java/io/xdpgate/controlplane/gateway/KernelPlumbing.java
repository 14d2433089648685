package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.datapath.bpf.Xdp;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.gateways.afxdp.XskSocket;
import io.xdpgate.gateways.runtime.GatewayRuntime;
import io.xdpgate.gateways.runtime.XskGateway;
import io.xdpgate.gateways.spi.ApplicationGateway;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@link GatewayPlumbing} on this node: iproute2 veth pairs, XDP or tc attach, AF_XDP runtimes. */
final class KernelPlumbing implements GatewayPlumbing {
    private final LoadedDatapath datapath;
    private final XdpMode xdpMode;
    private final XskSocket.Config socketConfig;
    private final GatewayRuntime.Limits limits;

    KernelPlumbing(LoadedDatapath datapath, XdpMode xdpMode, XskSocket.Config socketConfig,
                   GatewayRuntime.Limits limits) {
        this.datapath = datapath;
        this.xdpMode = xdpMode;
        this.socketConfig = socketConfig;
        this.limits = limits;
    }

    @Override
    public GatewayVeth createLink(int slot, int instance, Optional<IpAddr> address4) {
        GatewayVeth veth = GatewayVeth.create(slot, instance, address4);
        try {
            Xdp.attach(datapath.xskProgram(), veth.gatewayIfindex(), xdpMode);
            datapath.attach(veth.processorEnd(), veth.processorIfindex(), datapath.gatewayHook());
            return veth;
        } catch (RuntimeException e) {
            veth.delete();
            throw e;
        }
    }

    @Override
    public void deleteLink(GatewayVeth link) {
        link.delete();
    }

    @Override
    public HostedRuntime start(GatewayAssignment g, GatewayVeth link, ApplicationGateway app) {
        int slot = Gateway.slot(g.id(), link.instance());
        return new XskRuntime(XskGateway.start(HostedGateway.label(g, link.instance()), link.gatewayEnd(), link.gatewayIfindex(), app,
                new NatOriginLookup(datapath.tables(), g.id(), g.snatPool().isPresent()),
                new KernelExpectations(datapath.tables(), g.id(), System::nanoTime),
                socketConfig, limits,
                flows -> datapath.tables().gwLoad().put(slot, flows)));
    }

    private record XskRuntime(XskGateway xsk) implements HostedRuntime {
        @Override
        public int socketFd() {
            return xsk.socketFd();
        }

        @Override
        public long heartbeat() {
            return xsk.heartbeat();
        }

        @Override
        public boolean threadAlive() {
            return xsk.threadAlive();
        }

        @Override
        public Throwable failure() {
            return xsk.failure();
        }

        @Override
        public void reconfigure(ApplicationGateway app) {
            xsk.runtime().reconfigure(app);
        }

        @Override
        public void requestStop() {
            xsk.requestStop();
        }

        @Override
        public boolean stop(long waitMs) {
            return xsk.stop(waitMs);
        }

        @Override
        public int flowCount() {
            return xsk.runtime().flowCount();
        }

        @Override
        public long heldBytes() {
            return xsk.runtime().heldBytes();
        }

        @Override
        public Map<String, Long> counters() {
            Map<String, Long> out = new LinkedHashMap<>();
            xsk.runtime().stats().snapshot().forEach((c, v) -> out.put(c.key(), v));
            return out;
        }
    }
}
