package io.xdpgate.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** XdpgatePolicy (the client library's object) to {@link PolicyObject} (the controller's). */
final class PolicyObjects {
    private PolicyObjects() {
    }

    static PolicyObject of(XdpgatePolicy resource) {
        var meta = resource.getMetadata();
        XdpgatePolicySpec spec = resource.getSpec() == null ? new XdpgatePolicySpec() : resource.getSpec();
        return new PolicyObject(meta.getName(), meta.getUid(), meta.getGeneration() == null ? 0 : meta.getGeneration(),
                created(meta.getCreationTimestamp()), selection(spec.getNodeSelector()),
                PolicyParser.writeAny(spec.getPolicy()));
    }

    private static Instant created(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static NodeSelection selection(LabelSelector selector) {
        if (selector == null) {
            return null;
        }
        return new NodeSelection(selector.getMatchLabels(), selector.getMatchExpressions() == null ? null
                : selector.getMatchExpressions().stream()
                        .map(r -> new NodeSelection.Expression(r.getKey(), r.getOperator(), r.getValues())).toList());
    }
}
