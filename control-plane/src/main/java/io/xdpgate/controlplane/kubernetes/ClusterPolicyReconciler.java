package io.xdpgate.controlplane.kubernetes;

import io.xdpgate.controlplane.policy.PolicyApplyException;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.PolicySource;
import io.xdpgate.controlplane.policy.check.PolicyRejectedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Makes the node's policy the one its XdpgatePolicy objects say, level-based: each call looks at
 * every object there is (the informer's cache) and the node's labels, picks the object that
 * applies ({@link PolicyPrecedence}), applies its spec through {@link PolicyService#apply} (the
 * REST API's validation, translation and transaction) unless that generation was already
 * decided, and writes this node's condition into each object that selects it.
 *
 * <p>When no object selects the node (the last one was deleted, or its selector no longer
 * matches), the fallback is applied: the {@code xdpgate.initial-policy} document; without one
 * the policy in force stays (dropping everything would cut the node off the API server it
 * takes its next policy from).
 */
public final class ClusterPolicyReconciler implements PolicySource {
    private static final Logger LOG = Logger.getLogger(ClusterPolicyReconciler.class.getName());
    private static final String STARTUP = "startup";
    private static final String FALLBACK = "fallback";
    /** No object selects the node and there is no fallback: the last object's policy was kept. */
    private static final String KEPT = "kept";

    private final String nodeName;
    private final PolicyService policies;
    private final String fallback;
    private final StatusWriter status;

    /** What is in force: an object's key, FALLBACK, or STARTUP (what the daemon applied when it started). */
    private String inForceKey = STARTUP;
    private String inForceName;
    private long inForceGeneration;
    /** The last object version tried and what came of it (a NodeFailed outcome is tried again). */
    private String decidedKey;
    private NodeCondition decided;

    public ClusterPolicyReconciler(String nodeName, PolicyService policies, String fallback, StatusWriter status) {
        this.nodeName = nodeName;
        this.policies = policies;
        this.fallback = fallback;
        this.status = status;
    }

    public synchronized void reconcile(List<PolicyObject> objects, Map<String, String> nodeLabels) {
        PolicyPrecedence.Choice choice = PolicyPrecedence.choose(objects, nodeLabels);
        if (choice.winner() == null) {
            fallBack();
        } else {
            status.write(choice.winner().name(), decide(choice.winner()));
        }
        for (PolicyObject loser : choice.superseded()) {
            status.write(loser.name(), new NodeCondition(false, NodeCondition.SUPERSEDED,
                    "XdpgatePolicy \"" + choice.winner().name() + "\" takes precedence on node " + nodeName
                            + " (a nodeSelector over none, then the oldest, then the name); in force: " + inForce(),
                    loser.generation(), List.of()));
        }
        for (PolicyObject other : choice.notSelecting()) {
            status.clear(other.name());
        }
    }

    private NodeCondition decide(PolicyObject winner) {
        if (winner.key().equals(decidedKey) && !NodeCondition.NODE_FAILED.equals(decided.reason())) {
            return decided;
        }
        NodeCondition outcome;
        try {
            policies.apply(winner.policyJson());
            inForceKey = winner.key();
            inForceName = winner.name();
            inForceGeneration = winner.generation();
            outcome = new NodeCondition(true, NodeCondition.APPLIED, "in force on node " + nodeName,
                    winner.generation(), List.of());
            LOG.info(() -> "applied XdpgatePolicy " + winner.name() + " generation " + winner.generation());
        } catch (PolicyRejectedException e) {
            outcome = new NodeCondition(false, NodeCondition.INVALID, "refused on node " + nodeName + ", in force: "
                    + inForce() + ": " + e.getMessage(), winner.generation(), e.violations());
            LOG.warning(() -> "XdpgatePolicy " + winner.name() + " generation " + winner.generation() + " refused: "
                    + e.getMessage());
        } catch (PolicyApplyException e) {
            // the service logged the cause; the condition says what a user can act on, never exception text
            outcome = new NodeCondition(false, NodeCondition.NODE_FAILED, "node " + nodeName
                    + " could not apply it (" + e.step() + " failed)" + (e.rolledBack() ? " and rolled back" :
                    " and could not undo all of it") + "; in force: " + inForce() + "; see the daemon's log",
                    winner.generation(), List.of());
        }
        decidedKey = winner.key();
        decided = outcome;
        return outcome;
    }

    private void fallBack() {
        decidedKey = null;
        decided = null;
        if (FALLBACK.equals(inForceKey) || KEPT.equals(inForceKey)) {
            return;
        }
        if (fallback == null) {
            if (!STARTUP.equals(inForceKey)) {
                inForceKey = KEPT;
                LOG.warning(() -> "no XdpgatePolicy selects node " + nodeName + " and xdpgate.initial-policy is not "
                        + "set: the policy of XdpgatePolicy " + inForceName + " stays in force");
            }
            return;
        }
        try {
            policies.apply(fallback);
            inForceKey = FALLBACK;
            inForceName = null;
            LOG.info(() -> "no XdpgatePolicy selects node " + nodeName + ": applied xdpgate.initial-policy");
        } catch (RuntimeException e) {
            LOG.severe(() -> "no XdpgatePolicy selects node " + nodeName + " and xdpgate.initial-policy could not "
                    + "be applied (" + e.getMessage() + "): the policy in force stays");
        }
    }

    private String inForce() {
        return switch (inForceKey) {
            case STARTUP -> "the policy the daemon started with";
            case FALLBACK -> "xdpgate.initial-policy";
            case KEPT -> "XdpgatePolicy \"" + inForceName + "\" generation " + inForceGeneration
                    + ", kept: no object selects this node and xdpgate.initial-policy is not set";
            default -> "XdpgatePolicy \"" + inForceName + "\" generation " + inForceGeneration;
        };
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public boolean acceptsApiWrites() {
        return false;
    }

    @Override
    public synchronized Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", name());
        out.put("node", nodeName);
        out.put("inForce", inForce());
        if (inForceName != null && !FALLBACK.equals(inForceKey) && !STARTUP.equals(inForceKey)) {
            // also when KEPT: that object's document is what classifies
            out.put("object", inForceName);
            out.put("generation", inForceGeneration);
        }
        return out;
    }
}
