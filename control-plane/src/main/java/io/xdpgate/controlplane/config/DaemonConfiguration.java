package io.xdpgate.controlplane.config;

import io.xdpgate.controlplane.connections.ConnectionGc;
import io.xdpgate.controlplane.connections.ConnectionTable;
import io.xdpgate.controlplane.connections.IdleTimeouts;
import io.xdpgate.controlplane.datapath.DatapathLoader;
import io.xdpgate.controlplane.datapath.Attachment;
import io.xdpgate.controlplane.datapath.DatapathSettings;
import io.xdpgate.controlplane.datapath.InterfaceBinding;
import io.xdpgate.controlplane.datapath.InterfaceWatch;
import io.xdpgate.controlplane.datapath.LinkAttacher;
import io.xdpgate.controlplane.datapath.LinkReconciler;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.datapath.PatternBinding;
import io.xdpgate.controlplane.gateway.GatewayVethNames;
import io.xdpgate.datapath.bpf.NetlinkRoute;
import io.xdpgate.datapath.netlink.Link;
import java.util.stream.Collectors;
import io.xdpgate.controlplane.gateway.GatewayFactories;
import io.xdpgate.controlplane.gateway.GatewayHost;
import io.xdpgate.controlplane.gateway.GatewayWatchdog;
import io.xdpgate.gateways.afxdp.XskSocket;
import io.xdpgate.gateways.runtime.GatewayRuntime;
import io.xdpgate.controlplane.events.EventLog;
import io.xdpgate.controlplane.events.EventReader;
import io.xdpgate.controlplane.events.FlowFormat;
import io.xdpgate.controlplane.events.FlowLog;
import io.xdpgate.controlplane.events.FlowRecord;
import io.xdpgate.controlplane.events.FlowSink;
import io.xdpgate.controlplane.events.FlowText;
import io.xdpgate.controlplane.events.LineWriter;
import io.xdpgate.controlplane.events.LoggerSink;
import io.xdpgate.controlplane.events.Followers;
import io.xdpgate.controlplane.events.RecentEvents;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.PolicySource;
import io.xdpgate.controlplane.policy.store.PolicyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/** Wires the domain objects; none of them knows Spring. */
@Configuration(proxyBeanMethods = false)
public class DaemonConfiguration {
    /** Closing releases the daemon's handles only: pinned maps and attached programs stay. */
    @Bean(destroyMethod = "close")
    LoadedDatapath loadedDatapath(XdpgateProperties props) {
        return DatapathLoader.load(props.datapathSettings());
    }

    /**
     * Follows the links the interface patterns select (pods' veths): attaches to those there now
     * before the API serves, then to each that appears, and detaches from each that goes. Without
     * patterns it does nothing. Gateway veths ({@code xgw*}) are never selected.
     */
    @Bean(destroyMethod = "close")
    InterfaceWatch interfaceWatch(LoadedDatapath datapath, XdpgateProperties props) {
        DatapathSettings settings = props.datapathSettings();
        var watch = props.interfaceWatch();
        LinkAttacher attacher = new LinkAttacher() {
            @Override
            public Attachment attach(Link link, PatternBinding binding) {
                return datapath.attachSelected(link, binding);
            }

            @Override
            public void detach(Attachment attachment, boolean gone) {
                datapath.detachSelected(attachment, gone);
            }

            @Override
            public Attachment renamed(Attachment attachment, String name) {
                return datapath.renameSelected(attachment, name);
            }
        };
        LinkReconciler reconciler = new LinkReconciler(settings.patterns(),
                settings.interfaces().stream().map(InterfaceBinding::name).collect(Collectors.toSet()),
                GatewayVethNames::isGatewayVeth, attacher, watch.maxAttempts());
        InterfaceWatch w = new InterfaceWatch(reconciler, () -> NetlinkRoute.subscribeLinks(Duration.ofMillis(100)),
                NetlinkRoute::listLinks, datapath::isDetached,
                watch.retryDelay(), watch.resyncInterval());
        if (!settings.patterns().isEmpty()) {
            w.start();
        }
        return w;
    }

    /** The protocol gateways on the class path (a test may put its own in their place). */
    @Bean
    GatewayFactories gatewayFactories() {
        return GatewayFactories.discover();
    }

    /** Stops the hosted gateways (their sockets close, so their fail modes apply) before the datapath closes. */
    @Bean(destroyMethod = "close")
    GatewayHost gatewayHost(LoadedDatapath datapath, GatewayFactories factories, XdpgateProperties props) {
        return new GatewayHost(datapath, factories, props.datapathSettings().xdpMode(), XskSocket.Config.DEFAULT,
                GatewayRuntime.Limits.DEFAULT, props.gateways().supervision());
    }

    /** Notices dead and stalled gateway runtimes and restarts them; stopped before the host closes. */
    @Bean(initMethod = "start", destroyMethod = "close")
    GatewayWatchdog gatewayWatchdog(GatewayHost host) {
        return new GatewayWatchdog(host);
    }

    @Bean
    PolicyService policyService(LoadedDatapath datapath, GatewayHost gateways, XdpgateProperties props)
            throws IOException {
        PolicyService service = new PolicyService(datapath.tables(), new PolicyStore(props.stateDir()), gateways);
        service.start(props.initialPolicy() == null ? null : Files.readString(props.initialPolicy()));
        return service;
    }

    /** The default: the REST API is the policy's one source; no Kubernetes client is made. */
    @Bean
    @ConditionalOnProperty(name = "xdpgate.policy-source", havingValue = "rest", matchIfMissing = true)
    PolicySource restPolicySource() {
        return PolicySource.REST;
    }

    @Bean
    ConnectionTable connectionTable(LoadedDatapath datapath) {
        return new ConnectionTable(datapath.tables());
    }

    @Bean
    ConnectionGc connectionGc(ConnectionTable table, XdpgateProperties props) {
        var gc = props.gc();
        return new ConnectionGc(table, new IdleTimeouts(gc.tcpEstablished(), gc.tcpOpening(), gc.tcpClosed(),
                gc.udp(), gc.other()), System::nanoTime);
    }

    /**
     * The flow log as xdpgate.events.log.* says; a file that cannot be written stops the start.
     * Closed (flushed) after the event reader has stopped, which depends on it through the EventLog.
     */
    @Bean(destroyMethod = "close")
    FlowLog flowLog(XdpgateProperties props) {
        var events = props.events();
        var log = events.log();
        FlowFormat format = log.json() ? new FlowRecord(hostName(log.host(), props.kubernetes().nodeName()),
                Clock.systemUTC()) : FlowText.INSTANCE;
        return new FlowLog(format, flowSink(log), log.passed(), events.dropLogRate(), System::nanoTime);
    }

    private static FlowSink flowSink(XdpgateProperties.Log log) {
        return switch (log.output()) {
            case "stdout" -> LineWriter.stdout();
            case "file" -> {
                try {
                    yield LineWriter.file(log.file(), log.maxFileSize().toBytes(), log.maxFiles());
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("xdpgate.events.log.file=" + log.file()
                            + ": cannot be written (" + e + ")", e);
                }
            }
            default -> new LoggerSink(java.util.logging.Logger.getLogger(FlowLog.LOGGER));
        };
    }

    /** The setting, else the Kubernetes node name, else this host's name. */
    static String hostName(String setting, String nodeName) {
        if (setting != null && !setting.isBlank()) {
            return setting;
        }
        if (nodeName != null && !nodeName.isBlank()) {
            return nodeName;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    @Bean
    EventLog eventLog(PolicyService policies, FlowLog flowLog, XdpgateProperties props) {
        return new EventLog(new RecentEvents(props.events().buffer()), flowLog, policies::current,
                Clock.systemUTC(), System::nanoTime);
    }

    /** The clients following the events live. */
    @Bean
    Followers followers(EventLog log, XdpgateProperties props) {
        return new Followers(log, props.events().maxFollowers(), props.events().followQueue());
    }

    /**
     * Ends the followers' streams as the daemon begins to stop: the web server's graceful
     * shutdown would otherwise wait for these never-ending requests.
     */
    @Bean
    ApplicationListener<ContextClosedEvent> endFollowersOnClose(Followers followers) {
        return closed -> followers.close();
    }

    /** Drains the kernel's events ring; stopped (thread joined) before the datapath's maps close. */
    @Bean(initMethod = "start", destroyMethod = "stop")
    EventReader eventReader(LoadedDatapath datapath, EventLog log) {
        return new EventReader(datapath.tables().events(), log);
    }
}
