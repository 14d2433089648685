package io.xdpgate.controlplane.policy.check;

import java.util.List;
import java.util.stream.Collectors;

/** A policy refused as a whole, with every violation found; the policy in force stays. */
public class PolicyRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    public PolicyRejectedException(List<Violation> violations) {
        super(message(violations));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a rejection names at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String message(List<Violation> violations) {
        return "policy rejected (" + violations.size() + (violations.size() == 1 ? " problem): " : " problems): ")
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
