package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.IpAddr;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.gateways.spi.ApplicationGateway;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Veth pairs and runtimes that are only objects; a pair's name may not be taken twice. */
final class FakePlumbing implements GatewayPlumbing {
    final Map<String, GatewayVeth> links = new LinkedHashMap<>();
    final List<FakeRuntime> runtimes = new ArrayList<>();
    int nextIfindex = 100;
    int nextFd = 10;
    boolean failLinks;
    boolean failStarts;

    @Override
    public GatewayVeth createLink(int slot, int instance, Optional<IpAddr> address4) {
        if (failLinks) {
            throw new IllegalStateException("injected: ip link add failed");
        }
        String name = GatewayVeth.processorEndName(slot, instance);
        if (links.containsKey(name)) {
            throw new IllegalStateException(name + " is in use");
        }
        int a = nextIfindex++;
        int b = nextIfindex++;
        GatewayVeth v = new GatewayVeth(slot, instance, name, GatewayVeth.gatewayEndName(slot, instance), a, b,
                GatewayVeth.macOf(slot, 0), GatewayVeth.macOf(slot, 1));
        links.put(name, v);
        return v;
    }

    @Override
    public void deleteLink(GatewayVeth link) {
        links.remove(link.processorEnd());
        for (FakeRuntime r : runtimes) {
            if (r.link.equals(link)) {
                r.unbound = true;
            }
        }
    }

    @Override
    public HostedRuntime start(GatewayAssignment gateway, GatewayVeth link, ApplicationGateway app) {
        if (failStarts) {
            throw new IllegalStateException("injected: socket(AF_XDP) failed");
        }
        if (!links.containsValue(link)) {
            throw new IllegalStateException("no link " + link.gatewayEnd());
        }
        for (FakeRuntime r : runtimes) {
            if (r.link.equals(link) && !r.released && !r.unbound) {
                throw new IllegalStateException("EBUSY: " + link.gatewayEnd() + " queue 0 is taken");
            }
        }
        FakeRuntime r = new FakeRuntime(gateway.name(), link, nextFd++, app);
        runtimes.add(r);
        return r;
    }

    /** The runtimes serving (alive, not told to stop), by gateway name. */
    List<FakeRuntime> serving(String name) {
        return runtimes.stream().filter(r -> r.name.equals(name) && r.alive && !r.stopRequested).toList();
    }

    /** The runtimes not stopped, by gateway name. */
    List<FakeRuntime> live(String name) {
        return runtimes.stream().filter(r -> r.name.equals(name) && !r.released).toList();
    }

    /** A runtime whose thread the test plays. */
    static final class FakeRuntime implements HostedRuntime {
        final String name;
        final GatewayVeth link;
        final int fd;
        ApplicationGateway app;
        volatile long heartbeat;
        volatile long heldBytes;
        volatile boolean alive = true;
        volatile Throwable failure;
        /** Ignores requestStop: stays alive until the test lets it go. */
        volatile boolean stuck;
        /** Its loop makes no iteration (stalled or stuck); else {@link HostHarness#run} beats it. */
        volatile boolean frozen;
        boolean stopRequested;
        boolean released;
        boolean unbound;

        FakeRuntime(String name, GatewayVeth link, int fd, ApplicationGateway app) {
            this.name = name;
            this.link = link;
            this.fd = fd;
            this.app = app;
        }

        void die(Throwable t) {
            failure = t;
            alive = false;
        }

        @Override
        public int socketFd() {
            return fd;
        }

        @Override
        public long heartbeat() {
            return heartbeat;
        }

        @Override
        public boolean threadAlive() {
            return alive;
        }

        @Override
        public Throwable failure() {
            return failure;
        }

        @Override
        public void reconfigure(ApplicationGateway next) {
            app = next;
        }

        @Override
        public void requestStop() {
            stopRequested = true;
            if (!stuck) {
                alive = false;
            }
        }

        @Override
        public boolean stop(long waitMs) {
            stopRequested = true;
            if (!stuck) {
                alive = false;
            }
            if (alive) {
                return false;
            }
            released = true;
            return true;
        }

        @Override
        public int flowCount() {
            return 0;
        }

        @Override
        public long heldBytes() {
            return heldBytes;
        }

        @Override
        public Map<String, Long> counters() {
            return Map.of("frames_in", heartbeat);
        }
    }
}
