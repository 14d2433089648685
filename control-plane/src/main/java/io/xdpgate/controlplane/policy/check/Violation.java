package io.xdpgate.controlplane.policy.check;

/**
 * What is wrong in a policy document: where, as a JSON pointer into the document
 * ({@code /rules/3/ports}, {@code /gateways/0/name}; "" is the document itself), and why, in
 * words a user can act on.
 */
public record Violation(String path, String reason) {
    @Override
    public String toString() {
        return (path.isEmpty() ? "(document)" : path) + ": " + reason;
    }
}
