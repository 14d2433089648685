package io.xdpgate.controlplane.gateway;

import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.policy.GatewayDeployer;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.PolicyTranslation;
import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.datapath.bpf.Xdp;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.tables.XdpgateTables;
import io.xdpgate.gateways.afxdp.XskSocket;
import io.xdpgate.gateways.runtime.GatewayRuntime;
import io.xdpgate.gateways.runtime.XskGateway;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.GatewayFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Runs the policy's gateways in this process. For each gateway whose protocol has an
 * implementation on the class path: a veth pair, the packet processor on its near end, the
 * XSK hop on its far end, an AF_XDP socket there with its runtime thread, and the kernel told
 * (gw_tx, gw_xsks, gateways with ACTIVE|XSK). A gateway without an implementation is described
 * as down, so its fail mode applies.
 */
public final class GatewayHost implements GatewayDeployer, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GatewayHost.class.getName());

    private final LoadedDatapath datapath;
    private final XdpgateTables tables;
    private final GatewayFactories factories;
    private final XdpMode xdpMode;
    private final XskSocket.Config socketConfig;
    private final GatewayRuntime.Limits limits;
    private final Map<String, HostedGateway> running = new LinkedHashMap<>();

    public GatewayHost(LoadedDatapath datapath, GatewayFactories factories, XdpMode xdpMode,
                       XskSocket.Config socketConfig, GatewayRuntime.Limits limits) {
        this.datapath = datapath;
        this.tables = datapath.tables();
        this.factories = factories;
        this.xdpMode = xdpMode;
        this.socketConfig = socketConfig;
        this.limits = limits;
    }

    @Override
    public List<Violation> check(List<GatewayAssignment> gateways) {
        List<Violation> out = new ArrayList<>();
        for (GatewayAssignment g : gateways) {
            Optional<GatewayFactory> f = factories.forProtocol(g.spec().protocol());
            if (f.isEmpty()) {
                continue;
            }
            try {
                f.get().create(g.spec().config() == null ? Map.of() : g.spec().config());
            } catch (IllegalArgumentException e) {
                out.add(new Violation("/gateways/" + g.id() + "/config", e.getMessage()));
            }
        }
        return out;
    }

    @Override
    public synchronized void deploy(List<GatewayAssignment> gateways) {
        Map<String, GatewayAssignment> wanted = new LinkedHashMap<>();
        for (GatewayAssignment g : gateways) {
            wanted.put(g.name(), g);
        }
        // Stop what the policy no longer has, or has under another id or protocol, first: a new
        // gateway may take over its id (and so its veth names).
        for (HostedGateway h : new ArrayList<>(running.values())) {
            GatewayAssignment w = wanted.get(h.assignment().name());
            if (w == null || w.id() != h.assignment().id()
                    || !w.spec().protocol().equals(h.assignment().spec().protocol())) {
                stop(h);
            }
        }
        for (GatewayAssignment g : gateways) {
            Optional<GatewayFactory> f = factories.forProtocol(g.spec().protocol());
            if (f.isEmpty()) {
                LOG.warning(() -> "gateway " + g.name() + ": no " + g.spec().protocol()
                        + " gateway in this build (have " + factories.protocols() + "); its flows follow fail mode "
                        + g.failMode().jsonName());
                tables.gateways().put(g.id(), PolicyTranslation.toKernelGateway(g, 0, MacAddr.ZERO, MacAddr.ZERO, false));
                continue;
            }
            ApplicationGateway app = f.get().create(g.spec().config() == null ? Map.of() : g.spec().config());
            HostedGateway h = running.get(g.name());
            if (h == null) {
                h = start(g, app);
                running.put(g.name(), h);
            } else {
                h.runtime().runtime().reconfigure(app);
                h = new HostedGateway(g, h.veth(), h.runtime());
                running.put(g.name(), h);
            }
            describe(h);
        }
    }

    private HostedGateway start(GatewayAssignment g, ApplicationGateway app) {
        GatewayVeth veth = GatewayVeth.create(g.id(), g.address4());
        try {
            tables.ifaces().put(veth.processorIfindex(), new Iface(Role.GATEWAY, g.id(), veth.processorMac()));
            tables.ifaces().put(veth.gatewayIfindex(), new Iface(Role.GATEWAY, g.id(), veth.gatewayMac()));
            Xdp.attach(datapath.xskProgram(), veth.gatewayIfindex(), xdpMode);
            Xdp.attach(datapath.program(), veth.processorIfindex(), xdpMode);
            XskGateway runtime = XskGateway.start(g.name(), veth.gatewayEnd(), veth.gatewayIfindex(), app,
                    new NatOriginLookup(tables, g.id(), g.snatPool().isPresent()), socketConfig, limits);
            tables.gwTx().put(g.id(), veth.processorIfindex());
            tables.gwXsks().put(g.id(), runtime.socketFd());
            LOG.info(() -> "gateway " + g.name() + " (" + g.spec().protocol() + ", id " + g.id() + ") serving on "
                    + veth.gatewayEnd() + ", redirected frames leave through " + veth.processorEnd());
            return new HostedGateway(g, veth, runtime);
        } catch (RuntimeException e) {
            veth.delete();
            throw e;
        }
    }

    private void describe(HostedGateway h) {
        GatewayAssignment g = h.assignment();
        tables.gateways().put(g.id(), PolicyTranslation.toKernelGateway(g, h.veth().processorIfindex(),
                h.veth().gatewayMac(), h.veth().processorMac(), true, true));
    }

    private void stop(HostedGateway h) {
        running.remove(h.assignment().name());
        tables.gwTx().remove(h.assignment().id());
        tables.ifaces().remove(h.veth().processorIfindex());
        tables.ifaces().remove(h.veth().gatewayIfindex());
        h.stop();
        LOG.info(() -> "gateway " + h.assignment().name() + " stopped");
    }

    /** The gateways running here, by name. */
    public synchronized Map<String, XskGateway> runtimes() {
        Map<String, XskGateway> out = new LinkedHashMap<>();
        running.forEach((name, h) -> out.put(name, h.runtime()));
        return out;
    }

    /** Interfaces of a running gateway: the packet processor's end and the gateway's end. */
    public synchronized Optional<List<String>> interfaces(String name) {
        return Optional.ofNullable(running.get(name)).map(h -> List.of(h.veth().processorEnd(), h.veth().gatewayEnd()));
    }

    /** Stops every gateway: their sockets close, so the packet processor applies each fail mode. */
    @Override
    public synchronized void close() {
        for (HostedGateway h : new ArrayList<>(running.values())) {
            stop(h);
        }
    }
}
