package io.xdpgate.controlplane.policy;

/** What is wrong in a policy document: where (a JSON pointer such as /rules/3/ports) and why. */
public record Violation(String path, String reason) {
    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
