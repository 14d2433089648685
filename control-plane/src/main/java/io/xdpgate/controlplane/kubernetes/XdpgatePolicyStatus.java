package io.xdpgate.controlplane.kubernetes;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry per node the object selects, keyed by the node's name (a list-map in the CRD): each
 * daemon replaces only its own entry, so nodes do not overwrite each other's word.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class XdpgatePolicyStatus {
    private List<NodeEntry> nodes = new ArrayList<>();

    public List<NodeEntry> getNodes() {
        return nodes;
    }

    public void setNodes(List<NodeEntry> nodes) {
        this.nodes = nodes == null ? new ArrayList<>() : nodes;
    }

    /** A node's conditions on the object and, when it refused the spec, the violations. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public static class NodeEntry {
        private String name;
        private List<Condition> conditions = new ArrayList<>();
        private List<ViolationEntry> violations = new ArrayList<>();

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<Condition> getConditions() {
            return conditions;
        }

        public void setConditions(List<Condition> conditions) {
            this.conditions = conditions == null ? new ArrayList<>() : conditions;
        }

        public List<ViolationEntry> getViolations() {
            return violations;
        }

        public void setViolations(List<ViolationEntry> violations) {
            this.violations = violations == null ? new ArrayList<>() : violations;
        }
    }

    /** A violation as the REST API gives it: the JSON pointer into the policy document and why. */
    public static class ViolationEntry {
        private String path;
        private String reason;

        public ViolationEntry() {
        }

        public ViolationEntry(String path, String reason) {
            this.path = path;
            this.reason = reason;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getReason() {
            return reason;
        }

        public void setReason(String reason) {
            this.reason = reason;
        }
    }
}
