package io.xdpgate.controlplane.policy;

import java.util.List;

/** A policy refused as a whole; the one in force stays. */
public class PolicyRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    public PolicyRejectedException(List<Violation> violations) {
        super("policy rejected: " + violations);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
