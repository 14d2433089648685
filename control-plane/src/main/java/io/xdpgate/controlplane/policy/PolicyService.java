package io.xdpgate.controlplane.policy;

import io.xdpgate.datapath.abi.Abi;
import io.xdpgate.datapath.abi.Gateway;
import io.xdpgate.datapath.abi.IpAddr;
import io.xdpgate.datapath.abi.MacAddr;
import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.util.List;
import java.util.logging.Logger;

/**
 * Validates, compiles, installs and persists policies. A document is applied whole or not at
 * all: anything wrong is reported with its path and the policy in force stays.
 */
public final class PolicyService {
    private static final Logger LOG = Logger.getLogger(PolicyService.class.getName());

    private final XdpgateTables tables;
    private final PolicyTables policyTables;
    private final PolicyStore store;
    private PolicyDocument current;

    public PolicyService(XdpgateTables tables, PolicyStore store) {
        this.tables = tables;
        this.policyTables = new PolicyTables(tables);
        this.store = store;
    }

    /** Applies the persisted policy, else {@code fallback}; a daemon without either stays default-drop. */
    public synchronized void start(String fallback) {
        String json = store.load().orElse(fallback);
        if (json == null) {
            LOG.warning("no policy persisted and none given: every new flow is dropped until one is applied");
            return;
        }
        apply(json);
        LOG.info(() -> "policy in force: " + current.rules().size() + " rules, default " + current.defaultAction());
    }

    public synchronized PolicyDocument current() {
        return current;
    }

    /** Checks without applying; the violations, empty when the document would be accepted. */
    public List<Violation> validate(String json) {
        try {
            compile(PolicyValidator.translate(PolicyParser.parse(json)));
            return List.of();
        } catch (PolicyRejectedException e) {
            return e.violations();
        }
    }

    /** Installs the document atomically and persists it; throws {@link PolicyRejectedException}. */
    public synchronized TranslatedPolicy apply(String json) {
        TranslatedPolicy translated = PolicyValidator.translate(PolicyParser.parse(json));
        CompiledPolicy compiled = compile(translated);
        try {
            policyTables.checkCapacity(compiled.entryCounts());
        } catch (IllegalArgumentException e) {
            throw new PolicyRejectedException(List.of(new Violation("/rules", e.getMessage())));
        }
        writeGateways(translated.gateways());
        policyTables.apply(compiled);
        store.save(PolicyParser.write(translated.document()));
        current = translated.document();
        return translated;
    }

    private static CompiledPolicy compile(TranslatedPolicy t) {
        try {
            return PolicyCompiler.compile(t.rules(), t.defaultAction());
        } catch (IllegalArgumentException e) {
            throw new PolicyRejectedException(List.of(new Violation("/rules", e.getMessage())));
        }
    }

    /**
     * Describes the gateways to the kernel. None is active until its gateway runtime registers
     * (the AF_XDP gateways come later), so their flows follow the fail mode.
     */
    private void writeGateways(List<GatewayAssignment> gateways) {
        for (GatewayAssignment g : gateways) {
            tables.gateways().put(g.id(), new Gateway(
                    g.address6() == null ? IpAddr.ZERO : IpAddr.of(g.address6()), IpAddr.ZERO,
                    g.address4() == null ? 0 : IpAddr.of(g.address4()).ipv4Bits(), 0,
                    g.portBase(), g.portCount(), 0, 0, 0, MacAddr.ZERO, MacAddr.ZERO,
                    g.failOpen() ? Abi.XG_GW_F_FAIL_OPEN : 0));
        }
    }
}
