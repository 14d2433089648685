package io.xdpgate.controlplane.config;

import io.xdpgate.controlplane.datapath.DatapathSettings;
import io.xdpgate.controlplane.datapath.HookChoice;
import io.xdpgate.controlplane.datapath.InterfaceBinding;
import io.xdpgate.controlplane.datapath.InterfacePattern;
import io.xdpgate.controlplane.datapath.PatternBinding;
import io.xdpgate.controlplane.gateway.GatewayVethNames;
import io.xdpgate.controlplane.gateway.SupervisionSettings;
import io.xdpgate.abi.Role;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.datapath.tables.LoadTimeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The daemon's settings ({@code xdpgate.*}, from application properties, the environment, e.g.
 * {@code XDPGATE_INTERFACES_0_NAME=eth0}, or the command line).
 *
 * @param bpfObject  the compiled packet processor (its XDP build)
 * @param bpfTcObject its tc build, loaded when an interface runs at tc (default: xdpgate_tc.bpf.o
 *                   beside bpfObject)
 * @param pinDir     where maps are pinned and found again after a restart
 * @param stateDir   where the running policy is persisted
 * @param initialPolicy policy file applied when none is persisted yet (optional; without either,
 *                   every new flow is dropped until a policy is applied)
 * @param interfaces interfaces to attach to, by name or by name pattern, each with its role and
 *                   hook (auto: tc on a veth, XDP on other devices; xdp; tc)
 * @param xdpMode    auto (native, else generic), native or generic
 * @param maps       table sizes for newly created tables
 * @param gc         idle timeouts and the GC interval
 * @param api        where the REST API listens
 * @param tcpStrict  drop TCP segments other than SYN without a connection; false lets connections
 *                   that predate the firewall continue (they are classified like new flows)
 * @param dropEvents write an event for every refused new flow
 * @param forwarding fib: admitted packets routed out of a managed interface are forwarded by the
 *                   packet processor (FIB lookup and redirect, past the stack); stack: every
 *                   admitted packet goes to the stack, which routes it (and runs netfilter on it)
 * @param events     the flow event log: how many recent events to keep, how many drop lines to log
 * @param limits     what one source address may hold of the shared tables
 * @param pairTtl    how long a rule's paired port (pairedPort) waits for the second flow
 * @param gateways   supervision of the hosted gateways: how often the watchdog looks, when a
 *                   runtime counts as stalled, how long it waits before a restart
 * @param interfaceWatch how the links interface patterns select are followed: attempts, retry
 *                   delay, the periodic full resync
 * @param policySource where the node's policy comes from: rest (PUT /api/v1/policy, the default)
 *                   or kubernetes (XdpgatePolicy objects; the API then refuses policy writes)
 * @param kubernetes with policy-source kubernetes: this node's name and the informer's resync
 */
@ConfigurationProperties("xdpgate")
public record XdpgateProperties(
        @DefaultValue("/usr/lib/xdpgate/xdpgate.bpf.o") Path bpfObject,
        Path bpfTcObject,
        @DefaultValue("/sys/fs/bpf/xdpgate") Path pinDir,
        @DefaultValue("/var/lib/xdpgate") Path stateDir,
        Path initialPolicy,
        @DefaultValue List<Interface> interfaces,
        @DefaultValue("auto") String xdpMode,
        @DefaultValue Maps maps,
        @DefaultValue Gc gc,
        @DefaultValue Api api,
        @DefaultValue("true") boolean tcpStrict,
        @DefaultValue("true") boolean dropEvents,
        @DefaultValue("fib") String forwarding,
        @DefaultValue Events events,
        @DefaultValue Limits limits,
        @DefaultValue Gateways gateways,
        @DefaultValue("30s") Duration pairTtl,
        @DefaultValue InterfaceWatch interfaceWatch,
        @DefaultValue("rest") String policySource,
        @DefaultValue Kubernetes kubernetes) {

    public XdpgateProperties {
        if (!"rest".equals(policySource) && !"kubernetes".equals(policySource)) {
            throw new IllegalArgumentException("xdpgate.policy-source=" + policySource + ": must be rest or kubernetes");
        }
        if ("kubernetes".equals(policySource) && (kubernetes.nodeName() == null || kubernetes.nodeName().isBlank())) {
            throw new IllegalArgumentException("xdpgate.policy-source=kubernetes needs this node's name: set "
                    + "XDPGATE_NODE_NAME (the DaemonSet's downward API, spec.nodeName) or xdpgate.kubernetes.node-name");
        }
        for (int i = 0; i < interfaces.size(); i++) {
            Interface f = interfaces.get(i);
            if ((f.name() == null) == (f.pattern() == null)) {
                throw new IllegalArgumentException("xdpgate.interfaces[" + i + "]: set exactly one of name "
                        + "(one interface) and pattern (every interface it matches)");
            }
        }
        if (pairTtl != null && (pairTtl.isNegative() || pairTtl.isZero())) {
            throw new IllegalArgumentException("xdpgate.pair-ttl=" + pairTtl + " must be positive");
        }
    }

    /**
     * One interface by its exact {@code name}, or every interface whose name matches {@code pattern}
     * (a glob: {@code veth*}, {@code cali*}), attached as links appear and detached as they go.
     */
    public record Interface(String name, String pattern, @DefaultValue("external") String role,
                            @DefaultValue("auto") String hook) {
        boolean byPattern() {
            return pattern != null;
        }

        InterfaceBinding binding(int i) {
            return new InterfaceBinding(name, role(i), HookChoice.parse("xdpgate.interfaces[" + i + "].hook", hook));
        }

        PatternBinding patternBinding(int i) {
            InterfacePattern p;
            try {
                p = new InterfacePattern(pattern);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("xdpgate.interfaces[" + i + "].pattern: " + e.getMessage());
            }
            if (p.glob().startsWith(GatewayVethNames.PREFIX)) {
                throw new IllegalArgumentException("xdpgate.interfaces[" + i + "].pattern=" + pattern + ": "
                        + GatewayVethNames.PREFIX + "* are the daemon's own gateway veths, never selected by a pattern");
            }
            return new PatternBinding(p, role(i), HookChoice.parse("xdpgate.interfaces[" + i + "].hook", hook));
        }

        private Role role(int i) {
            String r = role.trim().toLowerCase(Locale.ROOT);
            if (!r.equals("external") && !r.equals("internal")) {
                throw new IllegalArgumentException("xdpgate.interfaces[" + i + "].role=" + role
                        + ": must be external or internal");
            }
            return Role.valueOf(r.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * @param maxAttempts    times a selected link is tried before it is left unattached (until it is re-created)
     * @param retryDelay     wait before the next attempt on a link that failed to attach
     * @param resyncInterval re-list every link at least this often, events or not
     */
    public record InterfaceWatch(@DefaultValue("5") int maxAttempts, @DefaultValue("1s") Duration retryDelay,
                                 @DefaultValue("60s") Duration resyncInterval) {
        public InterfaceWatch {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("xdpgate.interface-watch.max-attempts=" + maxAttempts
                        + ": at least one attempt");
            }
            if (retryDelay.isNegative() || resyncInterval.isNegative() || resyncInterval.isZero()) {
                throw new IllegalArgumentException("xdpgate.interface-watch: retry-delay must not be negative, "
                        + "resync-interval must be positive");
            }
        }
    }

    /**
     * @param connsPerSource     most connection entries one source address may hold (0: no limit)
     * @param redirectsPerSource most connections of one source redirected to gateways, each holding
     *                           a pool port (0: no limit)
     */
    public record Limits(@DefaultValue("0") int connsPerSource, @DefaultValue("0") int redirectsPerSource) {
        public Limits {
            if (connsPerSource < 0 || redirectsPerSource < 0) {
                throw new IllegalArgumentException("xdpgate.limits.*-per-source cannot be negative (0: no limit)");
            }
        }
    }

    /**
     * @param nodeName the Node this daemon runs on, whose labels XdpgatePolicy nodeSelectors match
     *                 (application.properties defaults it to the XDPGATE_NODE_NAME variable)
     * @param resync   how often every object is looked at again though nothing changed (node
     *                 labels are read then too, and a node failure is retried)
     */
    public record Kubernetes(String nodeName, @DefaultValue("60s") Duration resync) {
        public Kubernetes {
            if (resync.isNegative() || resync.isZero()) {
                throw new IllegalArgumentException("xdpgate.kubernetes.resync=" + resync + " must be positive");
            }
        }
    }

    public record Maps(@DefaultValue("262144") int conns, @DefaultValue("262144") int natRev) {
    }

    public record Gc(@DefaultValue("5s") Duration interval, @DefaultValue("1h") Duration tcpEstablished,
                     @DefaultValue("30s") Duration tcpOpening, @DefaultValue("10s") Duration tcpClosed,
                     @DefaultValue("60s") Duration udp, @DefaultValue("30s") Duration other) {
    }

    /**
     * @param buffer      recent events kept in memory for GET /api/v1/events (the oldest go first)
     * @param dropLogRate at most this many drop lines per second on the flow log; the rest are
     *                    counted and summed up in one line per second (0: drops are only counted)
     * @param log         the flow log's format and where it goes
     * @param maxFollowers clients that may follow the events at once (GET /api/v1/events?follow=true);
     *                    one more is refused with 429. Each holds a thread and a queue
     * @param followQueue events waiting for one follower; when its client reads slower, newer ones
     *                    are dropped for it (counted, and it is told how many)
     * @param followHeartbeat an idle stream carries a blank line (an SSE comment) this often, so
     *                    that a client that vanished is noticed and its thread and queue freed
     */
    public record Events(@DefaultValue("4096") int buffer, @DefaultValue("100") int dropLogRate,
                         @DefaultValue Log log, @DefaultValue("16") int maxFollowers,
                         @DefaultValue("1024") int followQueue, @DefaultValue("15s") Duration followHeartbeat) {
        public Events {
            if (buffer < 1) {
                throw new IllegalArgumentException("xdpgate.events.buffer=" + buffer + ": keep at least one event");
            }
            if (dropLogRate < 0) {
                throw new IllegalArgumentException("xdpgate.events.drop-log-rate=" + dropLogRate
                        + " cannot be negative (0 logs no drop lines)");
            }
            if (maxFollowers < 1) {
                throw new IllegalArgumentException("xdpgate.events.max-followers=" + maxFollowers
                        + ": allow at least one follower");
            }
            if (followQueue < 1) {
                throw new IllegalArgumentException("xdpgate.events.follow-queue=" + followQueue
                        + ": room for at least one event");
            }
            if (followHeartbeat.isNegative() || followHeartbeat.isZero()) {
                throw new IllegalArgumentException("xdpgate.events.follow-heartbeat=" + followHeartbeat
                        + " must be positive");
            }
        }
    }

    /**
     * The flow log ({@code xdpgate.events.log.*}).
     *
     * @param format      text (key=value, for people) or json (one EVE-like object per line)
     * @param output      logger (the logger xdpgate.flows, as the daemon's log), stdout, or file
     * @param file        with output file: the file written, rotated beside it
     * @param maxFileSize with output file: it is rotated before it would grow past this
     * @param maxFiles    with output file: files kept, the one written included (the oldest goes)
     * @param passed      whether the start and end of connections a pass rule admitted are
     *                    written (on the logger at DEBUG, so only where it logs DEBUG)
     * @param host        the node's name in every JSON record (empty: the Kubernetes node name
     *                    if set, else the host name)
     */
    public record Log(@DefaultValue("text") String format, @DefaultValue("logger") String output,
                      @DefaultValue("/var/log/xdpgate/flows.json") Path file,
                      @DefaultValue("100MB") DataSize maxFileSize, @DefaultValue("5") int maxFiles,
                      @DefaultValue("true") boolean passed, String host) {
        public Log {
            if (!"text".equals(format) && !"json".equals(format)) {
                throw new IllegalArgumentException("xdpgate.events.log.format=" + format + ": must be text or json");
            }
            if (!"logger".equals(output) && !"stdout".equals(output) && !"file".equals(output)) {
                throw new IllegalArgumentException("xdpgate.events.log.output=" + output
                        + ": must be logger, stdout or file");
            }
            if (maxFileSize.toBytes() < 4096) {
                throw new IllegalArgumentException("xdpgate.events.log.max-file-size=" + maxFileSize
                        + ": at least 4KB (a file holds many lines)");
            }
            if (maxFiles < 1) {
                throw new IllegalArgumentException("xdpgate.events.log.max-files=" + maxFiles
                        + ": at least 1 (the file written)");
            }
        }

        public boolean json() {
            return "json".equals(format);
        }
    }

    /**
     * @param watchdogInterval how often the watchdog looks at every hosted gateway
     * @param stallTimeout     a runtime loop without an iteration for longer is stalled (restarted)
     * @param restartDelay     wait before restarting a failed runtime, doubled for each further
     *                         failure in a row (at most 30 s; reset after 60 s of healthy running)
     * @param hook             the hook of the daemon's end of each gateway veth (auto: tc, as on any veth)
     */
    public record Gateways(@DefaultValue("100ms") Duration watchdogInterval, @DefaultValue("800ms") Duration stallTimeout,
                           @DefaultValue("100ms") Duration restartDelay, @DefaultValue("auto") String hook) {
        public SupervisionSettings supervision() {
            return new SupervisionSettings(watchdogInterval, stallTimeout, restartDelay);
        }
    }

    /**
     * @param socket     unix-domain socket of the API (mode 0660)
     * @param tcpPort    also serve the API on this TCP port (0: only the socket); needs a token
     * @param tcpAddress address the TCP listener binds to
     * @param token      bearer token every TCP request but /healthz and /metrics must carry
     * @param maxBody    a request body larger than this is refused with 413
     * @param healthPort a TCP port that serves only GET /healthz and /metrics, without a token
     *                   (0: none): for kubelet probes and Prometheus, which carry no token
     * @param healthAddress address the health listener binds to
     */
    public record Api(@DefaultValue("/run/xdpgate/api.sock") Path socket, @DefaultValue("0") int tcpPort,
                      @DefaultValue("127.0.0.1") String tcpAddress, String token,
                      @DefaultValue("1MB") DataSize maxBody, @DefaultValue("0") int healthPort,
                      @DefaultValue("127.0.0.1") String healthAddress) {
        public Api {
            if (maxBody.toBytes() < 1 || maxBody.toBytes() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("xdpgate.api.max-body=" + maxBody + " must be between 1B and 2GB");
            }
            if (tcpPort > 0 && (token == null || token.isBlank())) {
                throw new IllegalArgumentException("xdpgate.api.tcp-port=" + tcpPort
                        + " needs xdpgate.api.token: the TCP API is never served without authentication");
            }
            for (int port : new int[] {tcpPort, healthPort}) {
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("xdpgate.api: port " + port + " is outside 0..65535 (0: off)");
                }
            }
            if (healthPort > 0 && healthPort == tcpPort) {
                throw new IllegalArgumentException("xdpgate.api.health-port=" + healthPort
                        + " is also xdpgate.api.tcp-port: the open health listener and the API need a port each");
            }
        }
    }

    public DatapathSettings datapathSettings() {
        List<InterfaceBinding> named = new ArrayList<>();
        List<PatternBinding> patterns = new ArrayList<>();
        for (int i = 0; i < interfaces.size(); i++) {
            Interface f = interfaces.get(i);
            if (f.byPattern()) {
                patterns.add(f.patternBinding(i));
            } else {
                named.add(f.binding(i));
            }
        }
        return new DatapathSettings(bpfObject, bpfTcObject, pinDir, named,
                XdpMode.valueOf(xdpMode.toUpperCase(Locale.ROOT)), maps.conns(), maps.natRev(),
                new LoadTimeSettings(tcpStrict, dropEvents, limits.connsPerSource(), limits.redirectsPerSource(),
                        fibForwarding(), pairTtl.toNanos()), HookChoice.parse("xdpgate.gateways.hook", gateways.hook()),
                patterns);
    }

    private boolean fibForwarding() {
        return switch (forwarding.trim().toLowerCase(Locale.ROOT)) {
            case "fib" -> true;
            case "stack" -> false;
            default -> throw new IllegalArgumentException("xdpgate.forwarding=" + forwarding + ": must be fib or stack");
        };
    }
}
