package io.xdpgate.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches every XdpgatePolicy (an informer: list, then watch, re-listing by itself after a lost
 * watch) and, on each add, update, delete and resync, hands the whole cache and the node's labels
 * (read afresh, so a relabelled node is noticed by the next resync at the latest) to the
 * reconciler. The informer calls its handlers on one thread, so reconciles never overlap.
 */
public final class PolicyInformer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PolicyInformer.class.getName());

    private final KubernetesClient client;
    private final String nodeName;
    private final ClusterPolicyReconciler reconciler;
    private final SharedIndexInformer<XdpgatePolicy> informer;

    public PolicyInformer(KubernetesClient client, String nodeName, ClusterPolicyReconciler reconciler, Duration resync) {
        this.client = client;
        this.nodeName = nodeName;
        this.reconciler = reconciler;
        this.informer = client.resources(XdpgatePolicy.class).runnableInformer(resync.toMillis());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(XdpgatePolicy obj) {
                reconcile();
            }

            @Override
            public void onUpdate(XdpgatePolicy oldObj, XdpgatePolicy newObj) {
                reconcile();
            }

            @Override
            public void onDelete(XdpgatePolicy obj, boolean deletedFinalStateUnknown) {
                reconcile();
            }
        });
    }

    /** The reconciler and the status writer of this client, for node {@code nodeName}. */
    public static ClusterPolicyReconciler reconciler(KubernetesClient client, String nodeName,
                                                     io.xdpgate.controlplane.policy.PolicyService policies,
                                                     String fallback, java.time.Clock clock) {
        return new ClusterPolicyReconciler(nodeName, policies, fallback, new Fabric8StatusWriter(client, nodeName, clock));
    }

    /** Starts listing and watching; does not wait for the API server (the policy in force stays meanwhile). */
    public void start() {
        informer.start();
        LOG.info(() -> "watching XdpgatePolicy objects for node " + nodeName + " at " + client.getMasterUrl());
    }

    /** Whether the informer has listed the objects once. */
    public boolean synced() {
        return informer.hasSynced();
    }

    void reconcile() {
        try {
            reconciler.reconcile(informer.getStore().list().stream().map(PolicyObjects::of).toList(), nodeLabels());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reconciling the XdpgatePolicy objects failed; the next event or resync tries again", e);
        }
    }

    private Map<String, String> nodeLabels() {
        Node node = client.nodes().withName(nodeName).get();
        if (node == null) {
            throw new IllegalStateException("node " + nodeName + " (xdpgate.kubernetes.node-name) does not exist");
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    @Override
    public void close() {
        informer.close();
    }
}
