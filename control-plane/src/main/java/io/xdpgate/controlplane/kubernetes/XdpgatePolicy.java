package io.xdpgate.controlplane.kubernetes;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The cluster-scoped custom resource (it implements no {@code Namespaced}): a node firewall
 * policy for the nodes its spec's nodeSelector picks. Its schema is helm/xdpgate/crds/, made
 * from policy.schema.json.
 */
@Group(XdpgatePolicy.GROUP)
@Version(XdpgatePolicy.VERSION)
@Kind("XdpgatePolicy")
@Plural("xdpgatepolicies")
@Singular("xdpgatepolicy")
public class XdpgatePolicy extends CustomResource<XdpgatePolicySpec, XdpgatePolicyStatus> {
    public static final String GROUP = "xdpgate.io";
    public static final String VERSION = "v1alpha1";
    private static final long serialVersionUID = 1L;
}
