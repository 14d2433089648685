package io.xdpgate.controlplane.kubernetes;

import io.xdpgate.controlplane.policy.check.Violation;
import java.util.List;

/**
 * This node's word on one XdpgatePolicy, as its {@code Applied} condition (Kubernetes API
 * conventions: status True, False or Unknown, a CamelCase reason, a message for people, the
 * generation it speaks of) and, when the node refused the spec, every violation with its path
 * and reason exactly as the REST API gives them.
 */
public record NodeCondition(boolean applied, String reason, String message, long observedGeneration,
                            List<Violation> violations) {
    public static final String TYPE = "Applied";
    /** In force on this node. */
    public static final String APPLIED = "Applied";
    /** Refused by the daemon's validation; the policy in force stays. */
    public static final String INVALID = "Invalid";
    /** Valid, but the node failed to apply it (rolled back); retried at the next resync. */
    public static final String NODE_FAILED = "NodeFailed";
    /** Another object selecting this node takes precedence. */
    public static final String SUPERSEDED = "Superseded";

    public NodeCondition {
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    public String status() {
        return applied ? "True" : "False";
    }
}
