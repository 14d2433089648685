package io.xdpgate.controlplane.kubernetes;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which of the XdpgatePolicy objects that select a node is its policy: one with a nodeSelector
 * over one without (the specific over the cluster-wide), then the oldest (a newer object does not
 * silently take a node over), then the name. The others that select the node are superseded and
 * say so in their status; objects that do not select it are none of this node's business.
 */
public final class PolicyPrecedence {
    static final Comparator<PolicyObject> ORDER = Comparator
            .comparing((PolicyObject o) -> o.nodeSelector() == null)
            .thenComparing(o -> o.created() == null ? Instant.MAX : o.created())
            .thenComparing(PolicyObject::name);

    private PolicyPrecedence() {
    }

    /** The winner (null when nothing selects the node), the superseded and the others. */
    public record Choice(PolicyObject winner, List<PolicyObject> superseded, List<PolicyObject> notSelecting) {
    }

    public static Choice choose(List<PolicyObject> objects, Map<String, String> nodeLabels) {
        List<PolicyObject> selecting = objects.stream().filter(o -> o.selects(nodeLabels)).sorted(ORDER).toList();
        List<PolicyObject> others = objects.stream().filter(o -> !o.selects(nodeLabels)).toList();
        if (selecting.isEmpty()) {
            return new Choice(null, List.of(), others);
        }
        return new Choice(selecting.get(0), selecting.subList(1, selecting.size()), others);
    }
}
