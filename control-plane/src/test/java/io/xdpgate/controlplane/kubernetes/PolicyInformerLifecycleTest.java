package io.xdpgate.controlplane.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.xdpgate.controlplane.policy.FakeKernel;
import io.xdpgate.controlplane.policy.MemoryStorage;
import io.xdpgate.controlplane.policy.NoGateways;
import io.xdpgate.controlplane.policy.PolicyService;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The informer against fabric8's CRUD mock API server, with the generated CRD installed: updates
 * re-apply, deletes fall back, selectors pick nodes, and precedence picks among objects. Node n1
 * is labelled role=edge.
 */
@EnableKubernetesMockClient(crud = true)
class PolicyInformerLifecycleTest {
    private static final String FALLBACK = "{\"defaultAction\":\"drop\",\"rules\":[{\"name\":\"fallback-ssh\","
            + "\"protocol\":\"tcp\",\"ports\":\"22\",\"action\":\"pass\"}]}";
    KubernetesClient client;
    private PolicyService service;
    private PolicyInformer informer;
    private ClusterPolicyReconciler reconciler;

    @BeforeEach
    void cluster() throws Exception {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(CrdManifestTest.FILE),
                CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").withLabels(Map.of("role", "edge"))
                .endMetadata().build()).create();
        service = new PolicyService(new FakeKernel(), new MemoryStorage(), NoGateways.DEPLOYER);
    }

    private void start(String fallback) {
        reconciler = PolicyInformer.reconciler(client, "n1", service, fallback, Clock.systemUTC());
        informer = new PolicyInformer(client, "n1", reconciler, Duration.ofSeconds(60));
        informer.start();
    }

    @AfterEach
    void stop() {
        if (informer != null) {
            informer.close();
        }
    }

    @Test
    void anUpdateReappliesAndObservedGenerationMoves() throws Exception {
        start(null);
        create("base", null, "ssh");
        await(() -> firstRule("ssh"), "ssh in force");
        long first = awaitEntry("base", "True").getConditions().get(0).getObservedGeneration();
        XdpgatePolicy p = get("base");
        p.getSpec().setPolicyMember("rules", rules("web"));
        XdpgatePolicy updated = client.resource(p).update();
        long generation = updated.getMetadata().getGeneration();
        assertTrue(generation > first, "the mock server bumps metadata.generation on a spec change: " + first + " -> "
                + generation);
        await(() -> firstRule("web"), "the updated spec in force");
        await(() -> entry("base") != null && entry("base").getConditions().get(0).getObservedGeneration() == generation,
                "observedGeneration " + generation);
        assertEquals("True", entry("base").getConditions().get(0).getStatus());
    }

    @Test
    void aDeleteFallsToTheNextObjectThenToInitialPolicy() throws Exception {
        start(FALLBACK);
        create("edge", Map.of("role", "edge"), "edge-ssh");
        create("all", null, "all-ssh");
        await(() -> firstRule("edge-ssh"), "the object with a selector in force");
        awaitEntry("all", "False");
        client.resources(XdpgatePolicy.class).withName("edge").delete();
        await(() -> firstRule("all-ssh"), "the next object in precedence in force");
        awaitEntry("all", "True");
        client.resources(XdpgatePolicy.class).withName("all").delete();
        await(() -> firstRule("fallback-ssh"), "xdpgate.initial-policy in force");
    }

    @Test
    void withoutInitialPolicyTheLastPolicyStaysAfterTheDelete() throws Exception {
        start(null);
        create("base", null, "ssh");
        await(() -> firstRule("ssh"), "ssh in force");
        awaitEntry("base", "True");
        client.resources(XdpgatePolicy.class).withName("base").delete();
        await(() -> String.valueOf(reconciler.describe().get("inForce")).contains("kept"), "the delete reconciled");
        assertEquals("base", reconciler.describe().get("object"));
        assertEquals("ssh", service.current().rules().get(0).name(), "the policy in force stays");
    }

    @Test
    void anObjectWhoseSelectorMissesThisNodeIsNotAppliedAndGetsNoEntry() throws Exception {
        start(null);
        create("core", Map.of("role", "core"), "core-ssh");
        create("base", null, "ssh");
        await(() -> firstRule("ssh"), "the matching object in force");
        awaitEntry("base", "True");
        Thread.sleep(300);
        assertEquals("ssh", service.current().rules().get(0).name());
        XdpgatePolicy core = get("core");
        assertTrue(core.getStatus() == null || core.getStatus().getNodes().isEmpty(), "no entry for n1: "
                + (core.getStatus() == null ? null : core.getStatus().getNodes().get(0).getName()));
    }

    @Test
    void ofTwoWithoutSelectorTheOldestWinsOverTheName() throws Exception {
        start(null);
        create("zulu", null, "zulu-ssh");
        Thread.sleep(1100); // creationTimestamp has seconds
        create("alpha", null, "alpha-ssh");
        await(() -> firstRule("zulu-ssh"), "the oldest in force");
        var loser = awaitEntry("alpha", "False");
        assertEquals("Superseded", loser.getConditions().get(0).getReason());
        assertTrue(loser.getConditions().get(0).getMessage().contains("\"zulu\""), loser.getConditions().get(0).getMessage());
        assertEquals("True", awaitEntry("zulu", "True").getConditions().get(0).getStatus());
        Thread.sleep(300);
        assertEquals("zulu-ssh", service.current().rules().get(0).name());
    }

    @Test
    void aSelectorWinsOverNoneEvenWhenYounger() throws Exception {
        start(null);
        create("all", null, "all-ssh");
        Thread.sleep(1100);
        create("edge", Map.of("role", "edge"), "edge-ssh");
        await(() -> firstRule("edge-ssh"), "the object with a selector in force");
        assertEquals("Superseded", awaitEntry("all", "False").getConditions().get(0).getReason());
    }

    @Test
    void ofTwoCreatedTogetherTheNameDecides() throws Exception {
        // equal creation timestamps (seconds) set by the test: the mock server keeps them, a real API server would not
        start(null);
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        XdpgatePolicy b = policy("bravo", null, "bravo-ssh");
        XdpgatePolicy a = policy("alpha", null, "alpha-ssh");
        b.getMetadata().setCreationTimestamp(now);
        a.getMetadata().setCreationTimestamp(now);
        client.resource(b).create();
        client.resource(a).create();
        await(() -> entry("bravo") != null && entry("alpha") != null, "both have an entry");
        assertEquals(now, get("alpha").getMetadata().getCreationTimestamp(), "the mock server keeps the timestamp set");
        assertEquals(now, get("bravo").getMetadata().getCreationTimestamp());
        assertEquals("Superseded", awaitEntry("bravo", "False").getConditions().get(0).getReason());
        await(() -> firstRule("alpha-ssh"), "alpha in force");
    }

    private XdpgatePolicy policy(String name, Map<String, String> selector, String rule) {
        XdpgatePolicy p = new XdpgatePolicy();
        p.setMetadata(new ObjectMetaBuilder().withName(name).build());
        XdpgatePolicySpec spec = new XdpgatePolicySpec();
        spec.setPolicyMember("defaultAction", "drop");
        spec.setPolicyMember("rules", rules(rule));
        if (selector != null) {
            spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(selector).build());
        }
        p.setSpec(spec);
        return p;
    }

    private void create(String name, Map<String, String> selector, String rule) {
        client.resource(policy(name, selector, rule)).create();
    }

    private static List<Map<String, Object>> rules(String name) {
        return List.of(Map.of("name", name, "protocol", "tcp", "ports", "22", "action", "pass"));
    }

    private XdpgatePolicy get(String name) {
        return client.resources(XdpgatePolicy.class).withName(name).get();
    }

    private boolean firstRule(String name) {
        return service.current() != null && name.equals(service.current().rules().get(0).name());
    }

    private XdpgatePolicyStatus.NodeEntry entry(String object) {
        XdpgatePolicy p = get(object);
        if (p == null || p.getStatus() == null) {
            return null;
        }
        return p.getStatus().getNodes().stream().filter(n -> "n1".equals(n.getName())).findFirst().orElse(null);
    }

    private XdpgatePolicyStatus.NodeEntry awaitEntry(String object, String status) throws InterruptedException {
        await(() -> entry(object) != null && status.equals(entry(object).getConditions().get(0).getStatus()),
                object + "'s entry for n1 is " + status);
        XdpgatePolicyStatus.NodeEntry e = entry(object);
        assertNotNull(e);
        return e;
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(25);
        }
    }
}
