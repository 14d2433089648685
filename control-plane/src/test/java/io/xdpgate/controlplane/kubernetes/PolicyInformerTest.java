package io.xdpgate.controlplane.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.xdpgate.controlplane.policy.FakeKernel;
import io.xdpgate.controlplane.policy.MemoryStorage;
import io.xdpgate.controlplane.policy.NoGateways;
import io.xdpgate.controlplane.policy.PolicyService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The informer against fabric8's CRUD mock API server: an object created is applied and says so. */
@EnableKubernetesMockClient(crud = true)
class PolicyInformerTest {
    KubernetesClient client;


    @Test
    void aCreatedObjectIsAppliedAndItsConditionIsTrue() throws Exception {
        client.apiextensions().v1().customResourceDefinitions().resource(io.fabric8.kubernetes.client.utils.Serialization
                .unmarshal(java.nio.file.Files.readString(CrdManifestTest.FILE),
                        io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class)).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
        PolicyService service = new PolicyService(new FakeKernel(), new MemoryStorage(), NoGateways.DEPLOYER);
        var reconciler = PolicyInformer.reconciler(client, "n1", service, null, Clock.systemUTC());
        try (var informer = new PolicyInformer(client, "n1", reconciler, Duration.ofSeconds(60))) {
            informer.start();
            XdpgatePolicy p = new XdpgatePolicy();
            p.setMetadata(new ObjectMetaBuilder().withName("base").build());
            XdpgatePolicySpec spec = new XdpgatePolicySpec();
            spec.setPolicyMember("defaultAction", "drop");
            spec.setPolicyMember("rules", List.of(java.util.Map.of("name", "ssh", "protocol", "tcp", "ports", "22", "action", "pass")));
            p.setSpec(spec);
            client.resource(p).create();
            long end = System.nanoTime() + 10_000_000_000L;
            while (service.current() == null && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals("ssh", service.current().rules().get(0).name());
            XdpgatePolicy back = null;
            while (System.nanoTime() < end) {
                back = client.resources(XdpgatePolicy.class).withName("base").get();
                if (back.getStatus() != null && !back.getStatus().getNodes().isEmpty()) {
                    break;
                }
                Thread.sleep(50);
            }
            var entry = back.getStatus().getNodes().get(0);
            assertEquals("n1", entry.getName());
            assertEquals("True", entry.getConditions().get(0).getStatus());
            assertEquals("Applied", entry.getConditions().get(0).getType());

            // an invalid spec (host bits in a prefix, a check only the daemon makes): False, Invalid, path and reason
            XdpgatePolicy bad = client.resources(XdpgatePolicy.class).withName("base").get();
            bad.getSpec().setPolicyMember("rules", List.of(java.util.Map.of("name", "web", "to", "198.18.2.1/24", "action", "pass")));
            client.resource(bad).update();
            XdpgatePolicyStatus.NodeEntry refused = null;
            end = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < end) {
                refused = client.resources(XdpgatePolicy.class).withName("base").get().getStatus().getNodes().get(0);
                if ("False".equals(refused.getConditions().get(0).getStatus())) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals("Invalid", refused.getConditions().get(0).getReason());
            assertEquals("/rules/0/to", refused.getViolations().get(0).getPath());
            assertEquals("ssh", service.current().rules().get(0).name(), "the old policy stays in force");
        }
    }
}
