package io.xdpgate.controlplane.policy;

import io.xdpgate.abi.MacAddr;
import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.store.PolicyStore;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.PolicyTranslation;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Validates, compiles, installs and persists policies. A document is applied whole or not at
 * all: anything wrong is reported with its path and the policy in force stays.
 */
public final class PolicyService {
    private static final Logger LOG = Logger.getLogger(PolicyService.class.getName());

    private final PolicyTables policyTables;
    private final PolicyStore store;
    private final GatewayDeployer gateways;
    private PolicyDocument current;

    /** Without hosted gateways: every gateway is described to the kernel as down (its fail mode applies). */
    public PolicyService(XdpgateTables tables, PolicyStore store) {
        this(tables, store, new GatewayDeployer() {
            @Override
            public List<Violation> check(List<GatewayAssignment> gateways) {
                return List.of();
            }

            @Override
            public void deploy(List<GatewayAssignment> gateways) {
                for (GatewayAssignment g : gateways) {
                    tables.gateways().put(g.id(),
                            PolicyTranslation.toKernelGateway(g, 0, MacAddr.ZERO, MacAddr.ZERO, false));
                }
            }
        });
    }

    public PolicyService(XdpgateTables tables, PolicyStore store, GatewayDeployer gateways) {
        this.policyTables = new PolicyTables(tables);
        this.store = store;
        this.gateways = gateways;
    }

    /** Applies the persisted policy, else {@code fallback}; a daemon without either stays default-drop. */
    public synchronized void start(String fallback) {
        Optional<PolicyDocument> stored = store.load();
        if (stored.isPresent()) {
            apply(stored.get());
        } else if (fallback != null) {
            apply(fallback);
        } else {
            LOG.warning("no policy persisted and none given: every new flow is dropped until one is applied");
            return;
        }
        LOG.info(() -> "policy in force: " + current.rules().size() + " rules, default " + current.defaultAction());
    }

    public synchronized PolicyDocument current() {
        return current;
    }

    /** Checks without applying; the violations, empty when the document would be accepted. */
    public List<Violation> validate(String json) {
        try {
            compileToFit(PolicyTranslation.translate(PolicyParser.parse(json)));
            return List.of();
        } catch (PolicyRejectedException e) {
            return e.violations();
        }
    }

    /** Installs the document atomically and persists it; throws {@link PolicyRejectedException}. */
    public synchronized TranslatedPolicy apply(String json) {
        return apply(PolicyParser.parse(json));
    }

    /** Installs the document atomically and persists it; throws {@link PolicyRejectedException}. */
    public synchronized TranslatedPolicy apply(PolicyDocument doc) {
        TranslatedPolicy translated = PolicyTranslation.translate(doc);
        CompiledPolicy compiled = compileToFit(translated);
        gateways.deploy(translated.gateways());
        policyTables.apply(compiled);
        store.save(doc);
        current = doc;
        return translated;
    }

    /** Compiled, known to fit one generation of the maps as they were created, its gateways runnable. */
    private CompiledPolicy compileToFit(TranslatedPolicy t) {
        List<Violation> gatewayProblems = gateways.check(t.gateways());
        if (!gatewayProblems.isEmpty()) {
            throw new PolicyRejectedException(gatewayProblems);
        }
        try {
            CompiledPolicy compiled = t.compile();
            policyTables.checkCapacity(compiled.entryCounts());
            return compiled;
        } catch (IllegalArgumentException e) {
            throw new PolicyRejectedException(List.of(new Violation("/rules", e.getMessage())));
        }
    }
}
