package io.xdpgate.controlplane.policy;

import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import io.xdpgate.controlplane.policy.check.Violation;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.store.PolicyStorage;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.PolicyTranslation;
import io.xdpgate.controlplane.policy.translate.TranslatedPolicy;
import io.xdpgate.datapath.policy.CompiledPolicy;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Validates, compiles, installs and persists policies. A document is applied whole or not at
 * all, as one transaction over the kernel's policy, the gateways' kernel entries, the gateway
 * runtimes and the state file:
 *
 * <ol>
 * <li>check: parse, translate, check the gateways' configs, compile, check the maps' capacity
 *     (a problem here is the document's: {@link PolicyRejectedException}, nothing touched);</li>
 * <li>prepare the gateways ({@link GatewayDeployer#prepare}: new veth pairs and runtimes started
 *     but not in the kernel's path);</li>
 * <li>stage: write the compiled policy into the inactive generation;</li>
 * <li>the deployer's writes before the swap (gateways whose id changes meaning taken down, new
 *     gateways described);</li>
 * <li>swap the generation (one atomic write);</li>
 * <li>the deployer's writes after the swap (kept and replacing gateways described, removed ones
 *     marked down);</li>
 * <li>persist the document;</li>
 * <li>commit: the document is the one in force; the deployer finishes (old runtimes stopped).</li>
 * </ol>
 *
 * A failure in steps 2 to 7 undoes every kernel write of steps 4 to 6 newest first (the swap
 * included: the old generation was never written, so swapping back restores it exactly), tears
 * down what step 2 started and throws {@link PolicyApplyException}: the old policy stays in
 * force, on disk and in {@link #current()}, and its gateways never stopped.
 */
public final class PolicyService {
    private static final Logger LOG = Logger.getLogger(PolicyService.class.getName());

    private final PolicyKernel kernel;
    private final PolicyStorage store;
    private final GatewayDeployer gateways;
    private final PolicyApplies applies = new PolicyApplies(Clock.systemUTC());
    private volatile InForce inForce;

    /** The policy in force and its translation, replaced together so no reader sees one without the other. */
    private record InForce(PolicyDocument doc, TranslatedPolicy translated) {
    }

    public PolicyService(XdpgateTables tables, PolicyStorage store, GatewayDeployer gateways) {
        this(new KernelPolicy(tables), store, gateways);
    }

    public PolicyService(PolicyKernel kernel, PolicyStorage store, GatewayDeployer gateways) {
        this.kernel = kernel;
        this.store = store;
        this.gateways = gateways;
    }

    /** The applies' outcomes so far, the generation and when the policy in force took effect. */
    public PolicyApplies applies() {
        return applies;
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
        LOG.info(() -> "policy in force: " + current().rules().size() + " rules, default "
                + current().defaultAction());
    }

    /** The policy in force; null before the first was applied. */
    public PolicyDocument current() {
        InForce f = inForce;
        return f == null ? null : f.doc();
    }

    /**
     * The gateways of the policy in force as it was translated when applied (ids, addresses,
     * pools); empty before the first. Readers on a schedule take them from here instead of
     * translating the document again.
     */
    public List<GatewayAssignment> gatewaysInForce() {
        InForce f = inForce;
        return f == null ? List.of() : f.translated().gateways();
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

    /**
     * Installs the document atomically and persists it; throws {@link PolicyRejectedException}
     * (the document is at fault) or {@link PolicyApplyException} (the node is).
     */
    public synchronized TranslatedPolicy apply(String json) {
        PolicyDocument doc;
        try {
            doc = PolicyParser.parse(json);
        } catch (PolicyRejectedException e) {
            applies.record(PolicyApplies.Result.INVALID);
            throw e;
        }
        return apply(doc);
    }

    /** See {@link #apply(String)}. */
    public synchronized TranslatedPolicy apply(PolicyDocument doc) {
        try {
            TranslatedPolicy translated = install(doc);
            applies.record(PolicyApplies.Result.APPLIED);
            return translated;
        } catch (PolicyRejectedException e) {
            applies.record(PolicyApplies.Result.INVALID);
            throw e;
        } catch (RuntimeException e) {
            applies.record(PolicyApplies.Result.FAILED);
            throw e;
        }
    }

    private TranslatedPolicy install(PolicyDocument doc) {
        TranslatedPolicy translated = PolicyTranslation.translate(doc);
        CompiledPolicy compiled = compileToFit(translated);

        GatewayDeployer.Transition transition;
        try {
            transition = gateways.prepare(translated.gateways());
        } catch (PolicyRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            PolicyApplyException failure = new PolicyApplyException("preparing the gateways", true, e);
            LOG.log(Level.SEVERE, failure.getMessage(), e);
            throw failure;
        }

        UndoLog undo = new UndoLog();
        String step = "writing the inactive policy generation";
        try {
            int previous = kernel.activeGeneration();
            int staged = kernel.stage(compiled);
            step = "the gateway changes before the swap";
            transition.beforeSwap(undo);
            step = "swapping the policy generation";
            kernel.activate(staged);
            undo.record("the swap to generation " + staged, () -> kernel.activate(previous));
            step = "the gateway changes after the swap";
            transition.afterSwap(undo);
            step = "persisting the policy";
            store.save(doc);
        } catch (RuntimeException e) {
            boolean clean = undo.undo().isEmpty();
            transition.abort();
            PolicyApplyException failure = new PolicyApplyException(step, clean, e);
            LOG.log(Level.SEVERE, failure.getMessage(), e);
            throw failure;
        }
        inForce = new InForce(doc, translated);
        transition.complete();
        return translated;
    }

    /** Compiled, known to fit one generation of the maps as they were created, its gateways runnable. */
    private CompiledPolicy compileToFit(TranslatedPolicy t) {
        List<Violation> gatewayProblems = gateways.check(t);
        if (!gatewayProblems.isEmpty()) {
            throw new PolicyRejectedException(gatewayProblems);
        }
        try {
            CompiledPolicy compiled = t.compile();
            kernel.checkCapacity(compiled.entryCounts());
            return compiled;
        } catch (IllegalArgumentException e) {
            throw new PolicyRejectedException(List.of(new Violation("/rules", e.getMessage())));
        }
    }
}
