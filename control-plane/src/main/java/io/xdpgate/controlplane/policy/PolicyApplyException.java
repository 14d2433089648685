package io.xdpgate.controlplane.policy;

/**
 * A valid policy that could not be applied for a reason of the node, not of the document (a map
 * write or the state file failed, a gateway could not be started). The transaction was rolled
 * back: the policy in force, its gateways and the file on disk are as before, unless
 * {@link #rolledBack()} is false (then the log says what could not be undone).
 *
 * <p>Its message is for the log: the API answers 500 with a generic detail and never shows it.
 */
public final class PolicyApplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String step;
    private final boolean rolledBack;

    public PolicyApplyException(String step, boolean rolledBack, Throwable cause) {
        super("policy not applied: " + step + " failed" + (rolledBack ? "; rolled back, the policy in force is unchanged"
                : "; the roll back was incomplete") + ": " + cause, cause);
        this.step = step;
        this.rolledBack = rolledBack;
    }

    /** Which step of the transaction failed, e.g. "persisting the policy". */
    public String step() {
        return step;
    }

    /** Whether everything done before the failure was undone. */
    public boolean rolledBack() {
        return rolledBack;
    }
}
