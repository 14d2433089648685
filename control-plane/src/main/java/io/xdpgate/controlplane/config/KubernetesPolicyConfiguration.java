package io.xdpgate.controlplane.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.xdpgate.controlplane.kubernetes.ClusterPolicyReconciler;
import io.xdpgate.controlplane.kubernetes.PolicyInformer;
import io.xdpgate.controlplane.policy.PolicyService;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * xdpgate.policy-source=kubernetes: the policy comes from XdpgatePolicy objects. The client
 * finds the API server as fabric8 does: in a pod, the service account's token and CA; else
 * KUBECONFIG or ~/.kube/config. Not loaded at all in rest mode.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "xdpgate.policy-source", havingValue = "kubernetes")
public class KubernetesPolicyConfiguration {
    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    /** Also the PolicySource: the API refuses policy writes, /healthz names the object in force. */
    @Bean
    ClusterPolicyReconciler clusterPolicyReconciler(KubernetesClient client, PolicyService policies,
                                                    XdpgateProperties props) throws IOException {
        String fallback = props.initialPolicy() == null ? null : Files.readString(props.initialPolicy());
        return PolicyInformer.reconciler(client, props.kubernetes().nodeName(), policies, fallback, Clock.systemUTC());
    }

    /** Stopped before the client closes. */
    @Bean(initMethod = "start", destroyMethod = "close")
    PolicyInformer policyInformer(KubernetesClient client, ClusterPolicyReconciler reconciler, XdpgateProperties props) {
        return new PolicyInformer(client, props.kubernetes().nodeName(), reconciler, props.kubernetes().resync());
    }
}
