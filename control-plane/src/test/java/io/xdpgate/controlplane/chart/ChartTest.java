package io.xdpgate.controlplane.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.xdpgate.controlplane.config.XdpgateProperties;
import io.xdpgate.controlplane.image.NodeContainer;
import io.xdpgate.controlplane.policy.json.PolicyParser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The chart as a cluster operator meets it: lint-clean, its objects valid for Kubernetes, the
 * DaemonSet a node agent with least privilege, and its settings ones the daemon binds.
 */
class ChartTest {
    /** What ContainerImageKernelTest runs the image with, where each one's removal breaks it. */
    private static final Set<String> CAPABILITIES = NodeContainer.CAPS.stream().map(c -> c.substring("CAP_".length()))
            .collect(Collectors.toSet());

    @Test
    void lintsCleanStrictly() {
        LintResult lint = new Helm(Chart.DIR).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void theDefaultsRenderANodeAgent() {
        List<HasMetadata> objects = Chart.objects(Map.of());
        assertEquals(Set.of("ConfigMap", "DaemonSet", "ServiceAccount"),
                objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet()));
        DaemonSet ds = Chart.one(objects, DaemonSet.class);
        assertEquals("kube-system", ds.getMetadata().getNamespace());
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        assertTrue(pod.getHostNetwork(), "on the node's interfaces");
        assertEquals("system-node-critical", pod.getPriorityClassName());
        assertEquals("Exists", pod.getTolerations().get(0).getOperator(), "every taint tolerated");
        assertNull(pod.getTolerations().get(0).getKey());
        assertEquals("RollingUpdate", ds.getSpec().getUpdateStrategy().getType());
        assertEquals(1, ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertFalse(pod.getAutomountServiceAccountToken(), "the daemon reads nothing from the API server");
        assertFalse(Chart.one(objects, ServiceAccount.class).getAutomountServiceAccountToken());

        Container c = pod.getContainers().get(0);
        assertEquals("xdpgate:0.1.0-SNAPSHOT", c.getImage(), "the chart's appVersion: the tag make image builds");
        for (var probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
            assertEquals("/healthz", probe.getHttpGet().getPath());
            assertEquals("127.0.0.1", probe.getHttpGet().getHost(), "the health listener is on the node's loopback");
            assertEquals("health", probe.getHttpGet().getPort().getStrVal());
        }
        assertEquals(9964, c.getPorts().get(0).getContainerPort());

        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        assertEquals("/sys/fs/bpf", volumes.get("bpffs").getHostPath().getPath(), "pinned maps outlive the pod");
        assertEquals("Directory", volumes.get("bpffs").getHostPath().getType(), "bpffs must be there, not made up");
        assertEquals("/run/xdpgate", volumes.get("run").getHostPath().getPath());
        assertEquals("/var/lib/xdpgate", volumes.get("state").getHostPath().getPath());
        assertEquals("HostToContainer", c.getVolumeMounts().stream().filter(m -> m.getName().equals("bpffs"))
                .findFirst().orElseThrow().getMountPropagation());
    }

    @Test
    void theDaemonSetHasExactlyTheCapabilitiesItNeedsAndNoPrivilege() {
        for (Map<String, Object> values : List.of(Map.<String, Object>of(),
                Map.<String, Object>of("serviceMonitor.enabled", true, "health.address", "0.0.0.0"))) {
            DaemonSet ds = Chart.one(Chart.objects(values), DaemonSet.class);
            PrivilegeGuard.check(ds);
            var sc = ds.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext();
            assertEquals(CAPABILITIES, Set.copyOf(sc.getCapabilities().getAdd()));
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
            assertFalse(sc.getAllowPrivilegeEscalation());
            assertTrue(sc.getReadOnlyRootFilesystem());
        }
    }

    @Test
    void theValuesSchemaRefusesPrivilegeAndUnknownKeys() {
        var privileged = assertThrows(IllegalStateException.class,
                () -> Chart.render(Map.of("securityContext.privileged", true)));
        assertTrue(privileged.getMessage().contains("privileged"), privileged.getMessage());
        var typo = assertThrows(IllegalStateException.class, () -> Chart.render(Map.of("interface[0].name", "eth1")));
        assertTrue(typo.getMessage().contains("interface"), typo.getMessage());
        var moved = assertThrows(IllegalStateException.class, () -> Chart.render(Map.of("settings.pinDir", "/tmp")));
        assertTrue(moved.getMessage().contains("pinDir"), moved.getMessage());
        var both = assertThrows(IllegalStateException.class, () -> Chart.render(
                "interfaces:\n  - {name: eth0, pattern: \"veth*\", role: internal}\n", Map.of()));
        assertTrue(both.getMessage().contains("interfaces"), "a name or a pattern, not both: " + both.getMessage());
        var role = assertThrows(IllegalStateException.class, () -> Chart.render(Map.of("interfaces[0].role", "outside")));
        assertTrue(role.getMessage().contains("role"), role.getMessage());
    }

    @Test
    void theSettingsAreOnesTheDaemonBinds() throws Exception {
        List<HasMetadata> objects = Chart.objects("""
                interfaces:
                  - {name: eth0, role: external}
                  - {name: eth1, role: internal, hook: xdp}
                  - {pattern: "cali*", role: internal}
                settings:
                  xdpMode: native
                  limits: {connsPerSource: 5000}
                """, Map.of());
        String yaml = Chart.one(objects, ConfigMap.class).getData().get("application.yaml");
        XdpgateProperties p = bind(yaml);
        assertEquals(java.util.Arrays.asList("eth0", "eth1", null),
                p.interfaces().stream().map(XdpgateProperties.Interface::name).toList());
        assertEquals("cali*", p.interfaces().get(2).pattern(), "pods' veths by pattern");
        p.datapathSettings(); // the daemon's own checks of names and patterns, as at start
        assertEquals("internal", p.interfaces().get(1).role());
        assertEquals("xdp", p.interfaces().get(1).hook());
        assertEquals("auto", p.interfaces().get(0).hook(), "the daemon's default");
        assertEquals("native", p.xdpMode());
        assertEquals(5000, p.limits().connsPerSource());
        assertEquals("/sys/fs/bpf/xdpgate", p.pinDir().toString());
        assertEquals("/var/lib/xdpgate", p.stateDir().toString());
        assertEquals("/run/xdpgate/api.sock", p.api().socket().toString());
        assertEquals(9964, p.api().healthPort());
        assertEquals("127.0.0.1", p.api().healthAddress());
        assertNull(p.initialPolicy(), "no initial policy by default: fail-closed");
        assertNotEquals(0, p.api().healthPort());
    }

    @Test
    void theFlowLogIsTextOnTheLoggerByDefaultAndJsonOnStdoutForTheNodesCollector() throws Exception {
        var dflt = bind(Chart.one(Chart.objects(Map.of()), ConfigMap.class).getData().get("application.yaml"))
                .events().log();
        assertEquals("text", dflt.format());
        assertEquals("logger", dflt.output());
        assertTrue(dflt.passed());
        List<HasMetadata> objects = Chart.objects("""
                flowLog: {format: json, output: stdout, passed: false}
                settings:
                  events: {buffer: 100, dropLogRate: 7, log: {host: edge-1, format: text}}
                """, Map.of());
        XdpgateProperties p = bind(Chart.one(objects, ConfigMap.class).getData().get("application.yaml"));
        assertEquals("json", p.events().log().format(), "flowLog wins over settings");
        assertEquals("stdout", p.events().log().output());
        assertFalse(p.events().log().passed());
        assertEquals("edge-1", p.events().log().host(), "settings' other flow log keys stay");
        assertEquals(100, p.events().buffer());
        assertEquals(7, p.events().dropLogRate());
        var file = assertThrows(IllegalStateException.class, () -> Chart.render(Map.of("flowLog.output", "file")));
        assertTrue(file.getMessage().contains("output"), "no writable volume for a file: " + file.getMessage());
        var format = assertThrows(IllegalStateException.class, () -> Chart.render(Map.of("flowLog.format", "eve")));
        assertTrue(format.getMessage().contains("format"), format.getMessage());
    }

    @Test
    void anInitialPolicyIsShippedAsADocumentTheDaemonAccepts() throws Exception {
        var objects = Chart.objects(Map.of());
        assertFalse(Chart.one(objects, ConfigMap.class).getData().containsKey("initial-policy.json"));
        var withPolicy = Chart.objects("""
                policy:
                  source: rest
                  initial:
                    defaultAction: drop
                    rules:
                      - {name: ssh, protocol: tcp, ports: "22", action: pass}
                """, Map.of());
        ConfigMap cm = Chart.one(withPolicy, ConfigMap.class);
        var doc = PolicyParser.parse(cm.getData().get("initial-policy.json"));
        assertEquals("drop", doc.defaultAction());
        assertEquals("ssh", doc.rules().get(0).name());
        assertEquals("/etc/xdpgate/initial-policy.json", bind(cm.getData().get("application.yaml")).initialPolicy().toString());
    }

    @Test
    void aServiceMonitorIsOptionalAndNeedsAReachableListener() {
        var off = Chart.objects(Map.of());
        assertTrue(off.stream().noneMatch(o -> o.getKind().equals("ServiceMonitor") || o instanceof Service));
        var on = Chart.objects(Map.of("serviceMonitor.enabled", true, "health.address", "0.0.0.0"));
        Service svc = Chart.one(on, Service.class);
        assertEquals("None", svc.getSpec().getClusterIP(), "headless: the endpoints are the nodes");
        HasMetadata monitor = on.stream().filter(o -> o.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
        assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
        var loopback = assertThrows(IllegalStateException.class, () -> Chart.render(Map.of("serviceMonitor.enabled", true)));
        assertTrue(loopback.getMessage().contains("needs health.address 0.0.0.0"), loopback.getMessage());
    }

    @Test
    void withPolicyFromTheClusterTheDaemonMayReadItsPoliciesAndItsNodeOnly() throws Exception {
        var objects = Chart.objects(Map.of("policy.source", "kubernetes"));
        var role = Chart.one(objects, io.fabric8.kubernetes.api.model.rbac.ClusterRole.class);
        assertEquals(List.of("xdpgatepolicies:get,list,watch", "xdpgatepolicies/status:get,update,patch",
                "nodes:get"), role.getRules().stream().map(r -> String.join(",", r.getResources()) + ":"
                + String.join(",", r.getVerbs())).toList());
        var binding = Chart.one(objects, io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class);
        assertEquals("xdpgate", binding.getSubjects().get(0).getName());
        assertEquals("kube-system", binding.getSubjects().get(0).getNamespace());
        assertTrue(Chart.one(objects, ServiceAccount.class).getAutomountServiceAccountToken());
        PodSpec pod = Chart.one(objects, DaemonSet.class).getSpec().getTemplate().getSpec();
        assertTrue(pod.getAutomountServiceAccountToken());
        assertEquals("spec.nodeName", pod.getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("XDPGATE_NODE_NAME")).findFirst().orElseThrow()
                .getValueFrom().getFieldRef().getFieldPath(), "the daemon knows its Node");
        String yaml = Chart.one(objects, ConfigMap.class).getData().get("application.yaml");
        assertEquals("kubernetes", bind(yaml + "  kubernetes:\n    node-name: n1\n").policySource());
        assertTrue(Chart.objects(Map.of()).stream().noneMatch(o -> o.getKind().startsWith("ClusterRole")),
                "rest: no RBAC at all");
    }

    private static XdpgateProperties bind(String applicationYaml) throws Exception {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("chart",
                new ByteArrayResource(applicationYaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        StandardEnvironment env = new StandardEnvironment();
        sources.forEach(s -> env.getPropertySources().addFirst(s));
        return Binder.get(env).bind("xdpgate", XdpgateProperties.class).orElseThrow(() -> new AssertionError("nothing bound"));
    }
}
