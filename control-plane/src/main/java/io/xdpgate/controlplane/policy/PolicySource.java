package io.xdpgate.controlplane.policy;

import java.util.Map;

/**
 * Where the node's one source of truth for its policy is: the REST API ({@link #REST}, the
 * default), or the cluster's XdpgatePolicy objects. Only the REST source takes
 * {@code PUT /api/v1/policy}; with another, a write through the API would be undone by the next
 * reconcile, so it is refused.
 */
public interface PolicySource {
    /** The setting's value: {@code rest} or {@code kubernetes}. */
    String name();

    /** Whether PUT /api/v1/policy may replace the policy. */
    boolean acceptsApiWrites();

    /** What /healthz shows about the source (its name first). */
    Map<String, Object> describe();

    /** The REST API is the source: what it applies is in force until it applies another. */
    PolicySource REST = new PolicySource() {
        @Override
        public String name() {
            return "rest";
        }

        @Override
        public boolean acceptsApiWrites() {
            return true;
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("source", "rest");
        }
    };
}
