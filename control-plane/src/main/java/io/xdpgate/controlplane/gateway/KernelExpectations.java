package io.xdpgate.controlplane.gateway;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Expect;
import io.xdpgate.abi.ExpectKey;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.BpfException;
import io.xdpgate.datapath.tables.XdpgateTables;
import io.xdpgate.gateways.runtime.ExpectationBroker;
import io.xdpgate.gateways.spi.Expectation;
import io.xdpgate.gateways.spi.Expectations;
import io.xdpgate.gateways.spi.FlowContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The expectations of one gateway's flows, written into the packet processor's expects map: the
 * kernel admits the expected connection once (and deletes the entry), or ignores it past its
 * time. Here each flow keeps at most its session's {@code maxOpen} unused and unexpired ones, and
 * what it still has when it ends is deleted, so nothing stays expected for a control connection
 * that is gone. The expected flow is attributed to the rule of the flow that asked.
 * Called on the gateway runtime's thread (one per instance; flows are the instances' own).
 */
final class KernelExpectations implements ExpectationBroker {
    private static final Logger LOG = Logger.getLogger(KernelExpectations.class.getName());

    private final XdpgateTables tables;
    private final int gatewayId;
    private final LongSupplier monotonicNanos;
    /** By the conn id of the flow that asked: the keys it was granted. */
    private final Map<Long, List<ExpectKey>> granted = new ConcurrentHashMap<>();
    private final AtomicLong tableFull = new AtomicLong();

    KernelExpectations(XdpgateTables tables, int gatewayId, LongSupplier monotonicNanos) {
        this.tables = tables;
        this.gatewayId = gatewayId;
        this.monotonicNanos = monotonicNanos;
    }

    @Override
    public Expectations open(FlowContext flow) {
        return (wanted, maxOpen) -> expect(flow, wanted, maxOpen);
    }

    private String expect(FlowContext flow, Expectation e, int maxOpen) {
        IpAddr from = IpAddr.of(e.from());
        IpAddr to = IpAddr.of(e.to().getAddress());
        if (from.family() != to.family()) {
            return "the data connection mixes address families";
        }
        ExpectKey key = new ExpectKey(from, to, e.to().getPort(), e.transport().ipProto(), from.family());
        long now = monotonicNanos.getAsLong();
        List<ExpectKey> mine = granted.computeIfAbsent(flow.connectionId(), id -> new ArrayList<>());
        mine.removeIf(k -> !stillExpected(k, flow.connectionId(), now));
        if (mine.size() >= maxOpen) {
            return "this connection has " + mine.size() + " data connections expected already (maxDataChannels)";
        }
        long expires = now + e.ttl().toNanos();
        int rule = ruleOf(flow);
        Expect value = e.redirect() ? Expect.redirect(expires, flow.connectionId(), rule, gatewayId)
                : Expect.pass(expires, flow.connectionId(), rule);
        try {
            tables.expects().put(key, value);
        } catch (BpfException full) {
            if (tableFull.incrementAndGet() % 100 == 1) {
                LOG.warning(() -> "gateway id " + gatewayId + ": the expectation table is full (" + Abi.XG_MAX_EXPECTS
                        + " entries, errno " + full.errno() + "): data connections refused; times so far: " + tableFull.get());
            }
            return "the packet processor's expectation table is full";
        }
        if (!mine.contains(key)) {
            mine.add(key);
        }
        return null;
    }

    /** Still in the map, for this flow, and in time (an expired one is deleted here). */
    private boolean stillExpected(ExpectKey k, long flowId, long now) {
        Expect v = tables.expects().get(k).orElse(null);
        if (v == null || v.parentId() != flowId) {
            return false; // used by the kernel, or granted anew to another flow
        }
        if (v.isExpired(now)) {
            tables.expects().remove(k);
            return false;
        }
        return true;
    }

    /** The rule of the connection that asks (an FTP control connection: TCP), as the kernel holds it. */
    private int ruleOf(FlowContext flow) {
        Tuple t = Tuple.of(flow.client().getAddress(), flow.client().getPort(), flow.server().getAddress(),
                flow.server().getPort(), IpProto.TCP);
        return tables.conns().get(t).map(Conn::ruleId).orElse(Conn.DEFAULT_RULE_ID);
    }

    @Override
    public void withdraw(FlowContext flow) {
        List<ExpectKey> mine = granted.remove(flow.connectionId());
        if (mine == null) {
            return;
        }
        for (ExpectKey k : mine) {
            Expect v = tables.expects().get(k).orElse(null);
            if (v != null && v.parentId() == flow.connectionId()) {
                tables.expects().remove(k);
            }
        }
    }
}
