package io.xdpgate.controlplane.gateway;

import io.xdpgate.controlplane.policy.FakeKernel;
import io.xdpgate.controlplane.policy.MemoryStorage;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.model.GatewaySpec;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.model.RuleSpec;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewayFactory;
import io.xdpgate.gateways.spi.Transport;
import io.xdpgate.gateways.spi.GatewaySession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway host on fake maps and plumbing under a policy service on a fake kernel and an
 * in-memory store: the whole transaction without a kernel. Protocol "http" has an implementation
 * here ({@link App}); every other protocol is unhosted.
 */
final class HostHarness {
    static final SupervisionSettings SUPERVISION = new SupervisionSettings(Duration.ofMillis(100),
            Duration.ofSeconds(1), Duration.ofMillis(100));

    final FakeMaps maps = new FakeMaps();
    final FakePlumbing plumbing = new FakePlumbing();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final GatewayHost host = new GatewayHost(maps, plumbing, GatewayFactories.of(List.of(new Factory())), SUPERVISION,
            nanos::get, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    final FakeKernel kernel = new FakeKernel();
    final MemoryStorage storage = new MemoryStorage();
    final PolicyService service = new PolicyService(kernel, storage, host);

    /** The protocol gateway of this harness: remembers its config; {@code refused} is its own counter. */
    record App(Map<String, Object> config, AtomicLong refused) implements ApplicationGateway {
        App(Map<String, Object> config) {
            this(config, new AtomicLong());
        }

        @Override
        public GatewaySession open(FlowContext flow) {
            throw new UnsupportedOperationException("no traffic here");
        }

        @Override
        public Map<String, Long> counters() {
            return Map.of("protocol_refused", refused.get());
        }
    }

    /** A TCP gateway factory for {@code protocol} ("http" in the harness) whose gateways carry no traffic. */
    static final class Factory implements GatewayFactory {
        private final String protocol;

        Factory(String protocol) {
            this.protocol = protocol;
        }

        Factory() {
            this("http");
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public Set<Transport> transports() {
            return Set.of(Transport.TCP);
        }

        @Override
        public List<String> configKeys() {
            return List.of();
        }

        @Override
        public ApplicationGateway create(Map<String, Object> config) {
            if (config.containsKey("bad")) {
                throw new IllegalArgumentException("bad: not an " + protocol + " gateway setting");
            }
            if (config.containsKey("npe")) {
                throw new NullPointerException("Cannot invoke \"java.util.List.size()\" because \"x\" is null");
            }
            return new App(config);
        }
    }

    static GatewaySpec gw(String name, String protocol, String address4, String ports) {
        return GatewaySpec.of(name, protocol, address4, null, ports);
    }

    static GatewaySpec gw(String name, String protocol, String address4, String ports, String failMode,
                          Map<String, Object> config) {
        return new GatewaySpec(name, protocol, address4, null, ports, null, null, null, failMode, null, config);
    }

    /** {@code g} served by {@code n} instances. */
    static GatewaySpec instances(GatewaySpec g, int n) {
        return new GatewaySpec(g.name(), g.protocol(), g.address4(), g.address6(), g.ports(), g.snatAddress4(),
                g.snatAddress6(), g.snatPorts(), g.failMode(), n, g.config());
    }

    /** The runtime of instance {@code instance} of {@code name} that serves. */
    FakePlumbing.FakeRuntime runtime(String name, int instance) {
        List<FakePlumbing.FakeRuntime> live = plumbing.serving(name).stream()
                .filter(r -> r.link.instance() == instance).toList();
        if (live.size() != 1) {
            throw new AssertionError("expected one live runtime of " + name + "#" + instance + ", have " + live);
        }
        return live.get(0);
    }

    /** A document with these gateways and a redirect rule for each (port 80 + its index). */
    static PolicyDocument doc(GatewaySpec... gateways) {
        List<RuleSpec> rules = new ArrayList<>();
        for (int i = 0; i < gateways.length; i++) {
            rules.add(new RuleSpec("to-" + gateways[i].name(), null, null, "tcp", String.valueOf(80 + i), null,
                    "redirect", gateways[i].name()));
        }
        rules.add(new RuleSpec("rest", null, null, null, null, null, "pass", null));
        return new PolicyDocument("drop", List.of(gateways), rules);
    }

    /** Moves the clock on in watchdog intervals, supervising at each. */
    void run(Duration d) {
        long step = SUPERVISION.interval().toNanos();
        for (long t = 0; t < d.toNanos(); t += step) {
            for (FakePlumbing.FakeRuntime r : plumbing.runtimes) {
                if (r.alive && !r.frozen && !r.stopRequested) {
                    r.heartbeat++;
                }
            }
            nanos.addAndGet(step);
            host.supervise();
        }
    }

    /** The one runtime of {@code name} that serves. */
    FakePlumbing.FakeRuntime runtime(String name) {
        List<FakePlumbing.FakeRuntime> live = plumbing.serving(name);
        if (live.size() != 1) {
            throw new AssertionError("expected one live runtime of " + name + ", have " + live);
        }
        return live.get(0);
    }
}
