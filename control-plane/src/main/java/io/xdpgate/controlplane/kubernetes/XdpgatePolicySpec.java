package io.xdpgate.controlplane.kubernetes;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The spec: the policy document exactly as PUT /api/v1/policy takes it (every member but
 * nodeSelector, kept as they came so the daemon's strict parser judges them, unknown fields and
 * wrong types included) and the optional nodeSelector.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class XdpgatePolicySpec {
    private LabelSelector nodeSelector;
    private final Map<String, Object> policy = new LinkedHashMap<>();

    public LabelSelector getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(LabelSelector nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    @JsonAnyGetter
    public Map<String, Object> getPolicy() {
        return policy;
    }

    @JsonAnySetter
    public void setPolicyMember(String name, Object value) {
        policy.put(name, value);
    }
}
