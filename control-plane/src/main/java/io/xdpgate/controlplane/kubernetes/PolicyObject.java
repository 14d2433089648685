package io.xdpgate.controlplane.kubernetes;

import java.time.Instant;

/**
 * One XdpgatePolicy as the controller reasons about it, without the client library: its
 * identity, the generation of its spec, when it was created, its node selector (null: every
 * node) and its policy document as the REST API would take it (the spec less nodeSelector).
 */
public record PolicyObject(String name, String uid, long generation, Instant created, NodeSelection nodeSelector,
                           String policyJson) {
    /** Which version of which object: a new uid is a new object, a new generation a new spec. */
    public String key() {
        return uid + "/" + generation;
    }

    public boolean selects(java.util.Map<String, String> nodeLabels) {
        return nodeSelector == null || nodeSelector.matches(nodeLabels);
    }
}
