package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.policy.GatewayDeployer;
import io.xdpgate.controlplane.policy.UndoLog;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.model.FailMode;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.PolicyTranslation;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import io.xdpgate.datapath.bpf.XdpMode;
import io.xdpgate.gateways.afxdp.XskSocket;
import io.xdpgate.gateways.runtime.GatewayRuntime;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.GatewayFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the policy's gateways in this process and keeps them running. Every gateway of a policy
 * speaks the protocol of a factory on the class path ({@link #check} refuses the others), and for
 * each of its instances there is: a veth pair,
 * the packet processor on its near end, the XSK hop on its far end, an AF_XDP socket there with
 * its runtime thread (which reports its open flows into gw_load), and the kernel told (gw_tx and
 * gw_xsks at the instance's slot, the gateway's entry with ACTIVE|XSK and the instance count).
 *
 * <p><b>Policy transitions</b> ({@link GatewayDeployer}). Gateway ids are positions in the
 * document, and the kernel's gateway entries are not generational like the rules, so for every id
 * the old and the new policy are compared:
 * <ul>
 * <li><i>kept</i>: same name, protocol, addresses and source-NAT shape at the same id: the runtime
 *     and its connections stay; pool, fail mode and config may change (the new config applies to
 *     new connections; the entry is rewritten after the swap).</li>
 * <li><i>added</i>: prepared (pair and runtime), then fully described before the swap, which
 *     no old rule can see since the old policy has no gateway with that id.</li>
 * <li><i>replaced</i> (the id now means another gateway, or one whose runtime cannot be kept):
 *     the new runtime is prepared on a pair of its own; its entry is written down (drop) before
 *     the swap and the new one after it, so that during the swap neither policy's flows reach the
 *     other's gateway (new flows for that id are refused for that moment, and TCP retries them).</li>
 * <li><i>removed</i>: after the swap, when no rule redirects to it any more, its entry is marked
 *     down keeping its fail mode; then its runtime is stopped.</li>
 * </ul>
 * Connections held by a removed or replaced runtime are lost when it stops: those of a removed
 * fail-open gateway pass between the endpoints unredirected; all others are dropped (a replaced
 * gateway's new runtime does not know them) until they end or the GC reaps them.
 *
 * <p><b>Supervision</b> ({@link #supervise}, called by {@link GatewayWatchdog}), instance by
 * instance: the others serve on, and the packet processor gives new flows only to live ones. A runtime whose
 * thread died, or whose loop's heartbeat stood still longer than the stall timeout, is taken out
 * of gw_xsks at once (the packet processor then applies the fail mode at the next packet: closed
 * drops with drop_gw_down, open passes unredirected), counted, logged (one WARN line), and
 * restarted after the restart delay on the same pair: new socket, new thread. Connections the
 * failed runtime held are lost. A dead runtime's socket is closed at once; a stalled one is told
 * to stop and closes its socket when its thread returns; if it still has not at the restart, the
 * pair is replaced (deleting it unbinds the stuck socket, whose memory stays valid for the stuck
 * thread) and the new runtime starts on the new pair.
 */
public final class GatewayHost implements GatewayDeployer, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GatewayHost.class.getName());
    /** How long stopping a runtime waits for its thread. */
    private static final long STOP_WAIT_MS = TimeUnit.SECONDS.toMillis(2);

    private final GatewayMaps maps;
    private final GatewayPlumbing plumbing;
    private final GatewayFactories factories;
    private final SupervisionSettings supervision;
    private final LongSupplier nanoClock;
    private final Clock wallClock;
    private final RestartCounters restarts = new RestartCounters();
    /** Held from {@link #prepare} to the transition's end, and by every other method. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The gateways in force, by id. */
    private Map<Integer, GatewayAssignment> described = Map.of();
    /** The gateways this daemon runs, by id. */
    private final Map<Integer, HostedGateway> hosted = new TreeMap<>();
    private long lastSupervision;

    public GatewayHost(LoadedDatapath datapath, GatewayFactories factories, XdpMode xdpMode,
                       XskSocket.Config socketConfig, GatewayRuntime.Limits limits, SupervisionSettings supervision) {
        this(new KernelGatewayMaps(datapath.tables()), new KernelPlumbing(datapath, xdpMode, socketConfig, limits),
                factories, supervision, System::nanoTime, Clock.systemUTC());
    }

    GatewayHost(GatewayMaps maps, GatewayPlumbing plumbing, GatewayFactories factories,
                SupervisionSettings supervision, LongSupplier nanoClock, Clock wallClock) {
        this.maps = maps;
        this.plumbing = plumbing;
        this.factories = factories;
        this.supervision = supervision;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.lastSupervision = nanoClock.getAsLong();
    }

    public SupervisionSettings supervision() {
        return supervision;
    }

    public RestartCounters restarts() {
        return restarts;
    }

    @Override
    public List<Violation> check(TranslatedPolicy policy) {
        return GatewayPolicyCheck.check(policy, factories);
    }

    private static Map<String, Object> config(GatewayAssignment g) {
        return g.spec().config() == null ? Map.of() : g.spec().config();
    }

    // ---------------------------------------------------------------- transitions

    private enum Kind { KEEP, ADD, REPLACE, REMOVE }

    /** What happens to one gateway id. */
    private static final class Change {
        final int id;
        final Kind kind;
        final GatewayAssignment before;
        final GatewayAssignment after;
        /** Hosted under this id before; null if none. */
        final HostedGateway old;
        /** Prepared for {@link #after}: pair and runtime (added or replaced, hosted). */
        HostedGateway fresh;
        /** The new config of a kept hosted gateway. */
        ApplicationGateway keptApp;

        Change(int id, Kind kind, GatewayAssignment before, GatewayAssignment after, HostedGateway old) {
            this.id = id;
            this.kind = kind;
            this.before = before;
            this.after = after;
            this.old = old;
        }
    }

    @Override
    public Transition prepare(List<GatewayAssignment> gateways) {
        lock.lock();
        List<Change> changes = new ArrayList<>();
        try {
            Map<Integer, GatewayAssignment> next = new TreeMap<>();
            for (GatewayAssignment g : gateways) {
                next.put(g.id(), g);
            }
            Set<Integer> ids = new TreeSet<>(described.keySet());
            ids.addAll(next.keySet());
            ids.addAll(hosted.keySet());
            Set<Integer> slots = new HashSet<>();
            hosted.values().forEach(h -> slots.add(h.slot));
            for (int id : ids) {
                HostedGateway old = hosted.get(id);
                GatewayAssignment before = described.getOrDefault(id, old == null ? null : old.assignment);
                GatewayAssignment after = next.get(id);
                Kind kind;
                if (after == null) {
                    kind = Kind.REMOVE;
                } else if (before == null && old == null) {
                    kind = Kind.ADD;
                } else if (before != null && sameRuntime(before, after) && old != null) {
                    kind = Kind.KEEP;
                } else {
                    kind = Kind.REPLACE;
                }
                Change c = new Change(id, kind, before, after, old);
                changes.add(c);
                if (after == null) {
                    continue;
                }
                GatewayFactory f = factories.forProtocol(after.protocol()).orElseThrow(() -> new IllegalStateException(
                        "gateway " + after.name() + ": no " + after.protocol() + " gateway, which check refuses"));
                ApplicationGateway app = f.create(config(after));
                if (kind == Kind.KEEP) {
                    c.keptApp = app;
                } else {
                    c.fresh = launch(after, app, slots);
                }
            }
            return new Move(changes, next);
        } catch (RuntimeException e) {
            for (Change c : changes) {
                if (c.fresh != null) {
                    teardown(c.fresh);
                }
            }
            lock.unlock();
            throw e;
        }
    }

    /** Whether a runtime serving {@code before} can go on serving {@code after} (same id). */
    private static boolean sameRuntime(GatewayAssignment before, GatewayAssignment after) {
        return before.name().equals(after.name())
                && before.spec().protocol().equals(after.spec().protocol())
                && before.address4().equals(after.address4())
                && before.address6().equals(after.address6())
                && before.snatPool().isPresent() == after.snatPool().isPresent()
                && before.instances() == after.instances();
    }

    /** The gateway's id when that pair is free, else the lowest free number. */
    private static int freeSlot(int id, Set<Integer> taken) {
        if (!taken.contains(id)) {
            return id;
        }
        int n = 0;
        while (taken.contains(n)) {
            n++;
        }
        return n;
    }

    /** For each instance of {@code g} a pair, its ifaces entries and a runtime, nothing in the kernel's path yet. */
    private HostedGateway launch(GatewayAssignment g, ApplicationGateway app, Set<Integer> slots) {
        int slot = freeSlot(g.id(), slots);
        List<HostedInstance> made = new ArrayList<>();
        try {
            for (int i = 0; i < g.instances(); i++) {
                GatewayVeth veth = plumbing.createLink(slot, i, g.address4());
                try {
                    describeInterfaces(g.id(), veth);
                    made.add(new HostedInstance(i, veth, plumbing.start(g, veth, app), nanoClock.getAsLong()));
                } catch (RuntimeException e) {
                    clearInterfaces(veth);
                    plumbing.deleteLink(veth);
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            made.forEach(this::teardown);
            throw e;
        }
        slots.add(slot);
        HostedGateway h = new HostedGateway(g, app, slot, made);
        LOG.info(() -> "gateway " + g.name() + " (" + g.spec().protocol() + ", id " + g.id() + ") prepared on "
                + gatewayEnds(h) + ", redirected frames will leave through " + h.firstVeth().processorEnd()
                + (made.size() > 1 ? " and its siblings" : ""));
        return h;
    }

    private static String gatewayEnds(HostedGateway h) {
        return String.join(", ", h.instances.stream().map(i -> i.veth.gatewayEnd()).toList());
    }

    private void describeInterfaces(int id, GatewayVeth veth) {
        maps.putIface(veth.processorIfindex(), new Iface(Role.GATEWAY, veth.instance(), id, veth.processorMac()));
        maps.putIface(veth.gatewayIfindex(), new Iface(Role.GATEWAY, veth.instance(), id, veth.gatewayMac()));
    }

    /** ifaces is an array: its slots are zeroed, never deleted. */
    private void clearInterfaces(GatewayVeth veth) {
        for (int ifindex : new int[] {veth.processorIfindex(), veth.gatewayIfindex()}) {
            try {
                maps.putIface(ifindex, GatewayMaps.NO_IFACE);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot clear ifaces[" + ifindex + "]", e);
            }
        }
    }

    /** Stops the runtimes of a gateway that never served (or no longer does) and removes its pairs. Never throws. */
    private void teardown(HostedGateway h) {
        h.instances.forEach(this::teardown);
    }

    private void teardown(HostedInstance i) {
        try {
            if (i.runtime != null) {
                i.runtime.stop(STOP_WAIT_MS);
            }
            if (i.stuck != null) {
                i.stuck.stop(0);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "gateway pair " + i.veth.processorEnd() + ": stopping its runtime failed", e);
        }
        if (i.linkGone) {
            return;
        }
        clearInterfaces(i.veth);
        try {
            plumbing.deleteLink(i.veth);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot delete " + i.veth.processorEnd(), e);
        }
    }

    private static Gateway active(GatewayAssignment g, HostedGateway h) {
        GatewayVeth v = h.firstVeth();
        return PolicyTranslation.toKernelGateway(g, v.processorIfindex(), v.gatewayMac(), v.processorMac(), true, true);
    }

    /** Down: flows follow the fail mode. */
    private static Gateway down(GatewayAssignment g) {
        return PolicyTranslation.toKernelGateway(g, 0, MacAddr.ZERO, MacAddr.ZERO, false);
    }

    private static Gateway withFlags(Gateway k, int flags) {
        return new Gateway(k.addr6(), k.snatAddr6(), k.addr4(), k.snatAddr4(), k.portBase(), k.portCount(),
                k.snatPortBase(), k.snatPortCount(), k.ifindex(), k.mac(), k.localMac(), flags, k.instances(),
                k.poolSeed());
    }

    /** The socket gw_xsks holds for {@code i}, if it is in the map; {@code i} may be null. */
    private static OptionalInt registeredSocket(HostedInstance i) {
        return i != null && i.serving() ? OptionalInt.of(i.runtime.socketFd()) : OptionalInt.empty();
    }

    /** The move from the gateways in force to a new set; holds the lock until complete or abort. */
    private final class Move implements Transition {
        private final List<Change> changes;
        private final Map<Integer, GatewayAssignment> next;
        private boolean ended;

        Move(List<Change> changes, Map<Integer, GatewayAssignment> next) {
            this.changes = changes;
            this.next = next;
        }

        @Override
        public void beforeSwap(UndoLog undo) {
            for (Change c : changes) {
                switch (c.kind) {
                    case REPLACE -> {
                        // neither policy's flows may reach the other's gateway while the generation flips
                        Gateway current = maps.gateway(c.id).orElse(down(c.before == null ? c.after : c.before));
                        putGateway(undo, c.id, withFlags(current, 0));
                    }
                    case ADD -> {
                        if (c.fresh != null) {
                            register(undo, c.id, c.fresh, null);
                            putGateway(undo, c.id, active(c.after, c.fresh));
                        } else {
                            putGateway(undo, c.id, down(c.after));
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        @Override
        public void afterSwap(UndoLog undo) {
            for (Change c : changes) {
                switch (c.kind) {
                    case REPLACE -> {
                        if (c.fresh != null) {
                            register(undo, c.id, c.fresh, c.old);
                            putGateway(undo, c.id, active(c.after, c.fresh));
                        } else {
                            for (HostedInstance i : c.old == null ? List.<HostedInstance>of() : c.old.instances) {
                                OptionalInt was = registeredSocket(i);
                                if (was.isPresent()) {
                                    maps.removeXsk(c.id, i.index);
                                    i.registered = false;
                                    undo.record("gw_xsks[" + c.id + "/" + i.index + "] removed", () -> {
                                        maps.putXsk(c.id, i.index, was.getAsInt());
                                        i.registered = true;
                                    });
                                }
                            }
                            putGateway(undo, c.id, down(c.after));
                        }
                    }
                    case KEEP -> putGateway(undo, c.id, c.old != null ? active(c.after, c.old) : down(c.after));
                    case REMOVE -> {
                        // no rule redirects here any more: down, its remaining flows follow its fail mode
                        Gateway current = maps.gateway(c.id).orElse(down(c.before));
                        boolean open = c.before != null && c.before.failMode() == FailMode.OPEN;
                        putGateway(undo, c.id, withFlags(current, open ? Abi.XG_GW_F_FAIL_OPEN : 0));
                    }
                    default -> {
                    }
                }
            }
        }

        /**
         * gw_tx and gw_xsks of every instance to {@code h}'s pairs and sockets, replacing
         * {@code previous}'s (may be null). Slots of instances {@code previous} had beyond
         * {@code h}'s count stay until it is retired: the kernel counts an instance beyond the
         * entry's {@code instances} as down (its flows follow the fail mode) and picks none of
         * them for a new flow.
         */
        private void register(UndoLog undo, int id, HostedGateway h, HostedGateway previous) {
            for (HostedInstance i : h.instances) {
                HostedInstance was = previous == null ? null : previous.instance(i.index);
                // what gw_tx held is known without reading the devmap: the previous pair, or nothing
                Optional<Integer> tx = was == null || was.linkGone ? Optional.empty()
                        : Optional.of(was.veth.processorIfindex());
                maps.putTx(id, i.index, i.veth.processorIfindex());
                undo.record("gw_tx[" + id + "/" + i.index + "]", () -> tx.ifPresentOrElse(
                        t -> maps.putTx(id, i.index, t), () -> maps.removeTx(id, i.index)));
                OptionalInt previousSocket = registeredSocket(was);
                maps.putXsk(id, i.index, i.runtime.socketFd());
                i.registered = true;
                if (previousSocket.isPresent()) {
                    was.registered = false;
                }
                undo.record("gw_xsks[" + id + "/" + i.index + "]", () -> {
                    i.registered = false;
                    if (previousSocket.isPresent()) {
                        maps.putXsk(id, i.index, previousSocket.getAsInt());
                        was.registered = true;
                    } else {
                        maps.removeXsk(id, i.index);
                    }
                });
            }
        }

        private void putGateway(UndoLog undo, int id, Gateway g) {
            Optional<Gateway> was = maps.gateway(id);
            maps.putGateway(id, g);
            undo.record("gateways[" + id + "]", () -> maps.putGateway(id, was.orElse(withFlags(g, 0))));
        }

        @Override
        public void complete() {
            if (ended) {
                return;
            }
            ended = true;
            try {
                for (Change c : changes) {
                    try {
                        finish(c);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "gateway id " + c.id + ": finishing the policy change failed", e);
                    }
                }
                described = Map.copyOf(next);
            } finally {
                lock.unlock();
            }
        }

        private void finish(Change c) {
            switch (c.kind) {
                case KEEP -> {
                    if (c.old != null) {
                        c.old.assignment = c.after;
                        c.old.app = c.keptApp;
                        for (HostedInstance i : c.old.instances) {
                            if (i.runtime != null) {
                                i.runtime.reconfigure(c.keptApp);
                            }
                        }
                    }
                }
                case REMOVE, REPLACE -> {
                    if (c.old != null) {
                        hosted.remove(c.id);
                        // a replacement on pairs of its own took over its instances' gw_tx and gw_xsks already
                        retire(c.old, c.fresh == null ? 0 : c.fresh.instances.size());
                    }
                    if (c.kind == Kind.REMOVE) {
                        maps.putGateway(c.id, down(c.before));
                        LOG.info(() -> "gateway " + c.before.name() + " (id " + c.id + ") removed");
                    }
                }
                default -> {
                }
            }
            if (c.fresh != null) {
                hosted.put(c.id, c.fresh);
                long now = nanoClock.getAsLong();
                c.fresh.instances.forEach(i -> i.started(i.runtime, now));
                restarts.ensure(c.after.name());
                LOG.info(() -> "gateway " + c.after.name() + " (" + c.after.spec().protocol() + ", id " + c.id
                        + ") serving on " + gatewayEnds(c.fresh));
            }
        }

        @Override
        public void abort() {
            if (ended) {
                return;
            }
            ended = true;
            try {
                for (Change c : changes) {
                    if (c.fresh != null) {
                        teardown(c.fresh);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Takes a gateway this host ran out of service for good: runtimes stopped, pairs deleted, the
     * gw_tx and gw_xsks entries of its instances from {@code removeFrom} on removed (those below
     * belong to a replacement now).
     */
    private void retire(HostedGateway h, int removeFrom) {
        for (HostedInstance i : h.instances) {
            if (i.index >= removeFrom) {
                try {
                    if (i.registered) {
                        maps.removeXsk(h.id(), i.index);
                    }
                    maps.removeTx(h.id(), i.index);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "gateway " + h.label(i) + ": cannot remove its gw_tx/gw_xsks entries", e);
                }
            }
            i.registered = false;
        }
        teardown(h);
        LOG.info(() -> "gateway " + h.name() + " stopped");
    }

    // ---------------------------------------------------------------- supervision

    /**
     * One look at every hosted gateway: notices dead and stalled runtimes and restarts those whose
     * restart is due. Called by the watchdog every {@link SupervisionSettings#interval()}.
     */
    public void supervise() {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            // the watchdog itself was held up (a long GC pause, a slow policy change): the heartbeats
            // it last saw are too old to judge by; look again from now
            boolean resync = now - lastSupervision > supervision.stallTimeout().toNanos() / 2;
            lastSupervision = now;
            for (HostedGateway h : hosted.values()) {
                for (HostedInstance i : h.instances) {
                    try {
                        supervise(h, i, now, resync);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "gateway " + h.label(i) + ": supervision failed", e);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void supervise(HostedGateway h, HostedInstance i, long now, boolean resync) {
        HostedRuntime r = i.runtime;
        if (r == null) {
            if (now - i.restartAt >= 0) {
                restart(h, i, now);
            }
            return;
        }
        Throwable failure = r.failure();
        if (failure != null || !r.threadAlive()) {
            failed(h, i, now, RestartCause.DIED, failure == null ? "its thread ended"
                    : "its thread died (" + failure.getClass().getName() + ")");
            return;
        }
        long beat = r.heartbeat();
        if (beat != i.lastBeat || resync) {
            i.lastBeat = beat;
            i.lastBeatAt = now;
            if (i.failuresInARow > 0 && now - i.runningSince >= SupervisionSettings.HEALTHY.toNanos()) {
                i.failuresInARow = 0;
            }
        } else if (now - i.lastBeatAt > supervision.stallTimeout().toNanos()) {
            failed(h, i, now, RestartCause.STALLED, "its loop made no iteration for "
                    + TimeUnit.NANOSECONDS.toMillis(now - i.lastBeatAt) + " ms");
        }
    }

    private void failed(HostedGateway h, HostedInstance i, long now, RestartCause cause, String why) {
        HostedRuntime r = i.runtime;
        i.runtime = null;
        if (i.registered) {
            // out of the XSK map first: from the next packet on the kernel applies the fail mode
            maps.removeXsk(h.id(), i.index);
            i.registered = false;
        }
        if (cause == RestartCause.DIED) {
            if (!r.stop(0)) {
                i.stuck = r;
            }
        } else {
            // its thread may be inside the rings: it closes the socket itself once it returns
            r.requestStop();
            i.stuck = r;
        }
        i.failuresInARow++;
        Duration delay = supervision.delayAfter(i.failuresInARow);
        i.restartAt = now + delay.toNanos();
        i.lastCause = cause;
        i.lastFailureAt = wallClock.instant();
        restarts.increment(h.name(), cause);
        boolean others = h.instances.stream().anyMatch(HostedInstance::serving);
        LOG.warning("gateway=" + h.label(i) + " cause=" + cause.key() + ": " + why + "; out of the XSK map, its flows "
                + "follow fail mode " + h.assignment.failMode().jsonName() + " and the connections it held are lost"
                + (others ? "; new flows go to the other instances" : "") + "; restart "
                + restarts.get(h.name(), cause) + " (" + cause.key() + ") in " + delay.toMillis() + " ms");
    }

    private void restart(HostedGateway h, HostedInstance i, long now) {
        GatewayAssignment g = h.assignment;
        try {
            if (i.stuck != null && i.stuck.stop(0)) {
                i.stuck = null;
            }
            if (i.stuck != null) {
                // its socket still holds the pair's queue; deleting the pair unbinds it (the stuck
                // thread's memory stays mapped and it cleans up when it returns)
                clearInterfaces(i.veth);
                plumbing.deleteLink(i.veth);
                i.stuck = null;
                i.linkGone = true;
                LOG.warning("gateway=" + h.label(i) + ": the stalled runtime has not returned; its pair "
                        + i.veth.processorEnd() + " is replaced");
            }
            if (i.linkGone) {
                i.veth = plumbing.createLink(h.slot, i.index, g.address4());
                i.linkGone = false;
                describeInterfaces(g.id(), i.veth);
                maps.putTx(g.id(), i.index, i.veth.processorIfindex());
                maps.putGateway(g.id(), active(g, h));
            }
            HostedRuntime r = plumbing.start(g, i.veth, h.app);
            i.started(r, now);
            maps.putXsk(g.id(), i.index, r.socketFd());
            i.registered = true;
            LOG.info(() -> "gateway=" + h.label(i) + " restarted on " + i.veth.gatewayEnd() + " (new socket, new thread)");
        } catch (RuntimeException e) {
            i.failuresInARow++;
            Duration delay = supervision.delayAfter(i.failuresInARow);
            i.restartAt = now + delay.toNanos();
            if (i.runtime != null && !i.registered) {
                i.runtime.stop(STOP_WAIT_MS);
                i.runtime = null;
            }
            LOG.log(Level.WARNING, "gateway=" + h.label(i) + " cause=restart-failed: the restart failed; its flows "
                    + "still follow fail mode " + g.failMode().jsonName() + "; next attempt in " + delay.toMillis() + " ms", e);
        }
    }

    // ---------------------------------------------------------------- views

    /** A hosted gateway's state; empty when this daemon does not run one of that name. */
    public Optional<GatewayStatus> status(String name) {
        lock.lock();
        try {
            for (HostedGateway h : hosted.values()) {
                if (h.name().equals(name)) {
                    return Optional.of(status(h));
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    private GatewayStatus status(HostedGateway h) {
        List<GatewayStatus.Instance> each = new ArrayList<>();
        List<String> interfaces = new ArrayList<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        int flows = 0;
        long held = 0;
        int serving = 0;
        HostedInstance lastFailed = null;
        for (HostedInstance i : h.instances) {
            HostedRuntime r = i.runtime;
            Map<String, Long> own = r == null ? Map.of() : r.counters();
            int f = r == null ? 0 : r.flowCount();
            long b = r == null ? 0 : r.heldBytes();
            own.forEach((k, v) -> counters.merge(k, v, Long::sum));
            flows += f;
            held += b;
            serving += i.serving() ? 1 : 0;
            List<String> ends = List.of(i.veth.processorEnd(), i.veth.gatewayEnd());
            interfaces.addAll(ends);
            each.add(new GatewayStatus.Instance(i.index, ends, i.serving() ? "running" : "restarting", f, b, own,
                    i.lastCause == null ? null : i.lastCause.key(), i.lastFailureAt));
            if (i.lastFailureAt != null && (lastFailed == null || i.lastFailureAt.isAfter(lastFailed.lastFailureAt))) {
                lastFailed = i;
            }
        }
        if (h.app != null) {
            // the protocol's own counters (FTP's bounces refused...): one gateway object for all instances
            h.app.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
        }
        String state = serving == h.instances.size() ? "running" : serving > 0 ? "degraded" : "restarting";
        return new GatewayStatus(interfaces, state, serving > 0, flows, held, counters, restarts.of(h.name()),
                lastFailed == null ? null : lastFailed.lastCause.key(), lastFailed == null ? null : lastFailed.lastFailureAt,
                each);
    }

    /**
     * Whether the packet processor sends gateway {@code id}'s flows to it ({@link GatewayLiveness}),
     * {@code hosted} its state here, null if not hosted.
     */
    public boolean active(int id, GatewayStatus hosted) {
        return GatewayLiveness.active(maps.gateway(id).orElse(null), hosted);
    }

    /** Restart counts of a gateway (hosted or once hosted), by cause. */
    public Map<String, Long> restartCounts(String name) {
        return restarts.of(name);
    }

    /** Names of the gateways running here. */
    public List<String> hostedNames() {
        lock.lock();
        try {
            List<String> out = new ArrayList<>();
            hosted.values().forEach(h -> out.add(h.name()));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Stops every gateway: their sockets close, so the packet processor applies each fail mode. */
    @Override
    public void close() {
        lock.lock();
        try {
            for (HostedGateway h : new ArrayList<>(hosted.values())) {
                hosted.remove(h.id());
                retire(h, 0);
            }
        } finally {
            lock.unlock();
        }
    }

    /** For tests: the gateway hosted under {@code id}. */
    Optional<HostedGateway> hostedGateway(int id) {
        lock.lock();
        try {
            return Optional.ofNullable(hosted.get(id));
        } finally {
            lock.unlock();
        }
    }
}
