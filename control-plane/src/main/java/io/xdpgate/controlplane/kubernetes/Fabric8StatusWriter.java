package io.xdpgate.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes this node's entry of {@code status.nodes} through the status subresource: read the
 * object, replace this node's entry only, write it back with the resourceVersion read, and on a
 * conflict (another node wrote its entry in between) read again and retry. An entry that already
 * says the same is not written (no update loop with the informer, and lastTransitionTime moves
 * only when the condition's status does).
 */
final class Fabric8StatusWriter implements StatusWriter {
    private static final Logger LOG = Logger.getLogger(Fabric8StatusWriter.class.getName());
    private static final int ATTEMPTS = 5;
    /** Keeps a status within reason when a document has thousands of problems; the message says how many. */
    static final int MAX_VIOLATIONS = 50;

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;

    Fabric8StatusWriter(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    @Override
    public void write(String objectName, NodeCondition condition) {
        update(objectName, condition);
    }

    @Override
    public void clear(String objectName) {
        update(objectName, null);
    }

    private void update(String objectName, NodeCondition condition) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                XdpgatePolicy latest = client.resources(XdpgatePolicy.class).withName(objectName).get();
                if (latest == null || !change(latest, condition)) {
                    return;
                }
                client.resource(latest).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    LOG.log(Level.WARNING, "cannot write node " + nodeName + "'s status into XdpgatePolicy " + objectName
                            + " (" + e.getCode() + "); the next resync tries again", e);
                    return;
                }
            }
        }
    }

    /** Puts this node's entry into the object's status; false when it already said that. */
    private boolean change(XdpgatePolicy object, NodeCondition wanted) {
        if (object.getStatus() == null) {
            object.setStatus(new XdpgatePolicyStatus());
        }
        List<XdpgatePolicyStatus.NodeEntry> nodes = object.getStatus().getNodes();
        XdpgatePolicyStatus.NodeEntry mine = nodes.stream().filter(n -> nodeName.equals(n.getName())).findFirst()
                .orElse(null);
        if (wanted == null) {
            return mine != null && nodes.remove(mine);
        }
        List<XdpgatePolicyStatus.ViolationEntry> violations = wanted.violations().stream().limit(MAX_VIOLATIONS)
                .map(v -> new XdpgatePolicyStatus.ViolationEntry(v.path(), v.reason())).toList();
        Condition old = mine == null ? null : mine.getConditions().stream()
                .filter(c -> NodeCondition.TYPE.equals(c.getType())).findFirst().orElse(null);
        if (old != null && old.getStatus().equals(wanted.status()) && Objects.equals(old.getReason(), wanted.reason())
                && Objects.equals(old.getMessage(), wanted.message())
                && Objects.equals(old.getObservedGeneration(), wanted.observedGeneration())
                && sameViolations(mine.getViolations(), violations)) {
            return false;
        }
        String since = old != null && old.getStatus().equals(wanted.status()) ? old.getLastTransitionTime()
                : clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        Condition applied = new Condition(since, wanted.message(), wanted.observedGeneration(), wanted.reason(),
                wanted.status(), NodeCondition.TYPE);
        if (mine == null) {
            mine = new XdpgatePolicyStatus.NodeEntry();
            mine.setName(nodeName);
            nodes.add(mine);
        }
        mine.setConditions(new java.util.ArrayList<>(List.of(applied)));
        mine.setViolations(new java.util.ArrayList<>(violations));
        return true;
    }

    private static boolean sameViolations(List<XdpgatePolicyStatus.ViolationEntry> a,
                                          List<XdpgatePolicyStatus.ViolationEntry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Objects.equals(a.get(i).getPath(), b.get(i).getPath())
                    || !Objects.equals(a.get(i).getReason(), b.get(i).getReason())) {
                return false;
            }
        }
        return true;
    }
}
