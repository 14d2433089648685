package io.xdpgate.controlplane.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/xdpgate.yaml, for `kubectl apply -f`, is the chart rendered with its defaults (release
 * xdpgate in kube-system): never edited by hand, so it cannot drift from the chart.
 * `make deploy-manifest` writes it anew.
 */
class DeployManifestTest {
    private static final Path FILE = Chart.DIR.getParent().getParent().resolve("deploy/xdpgate.yaml");
    private static final String HEADER = "# Rendered from helm/xdpgate with its default values (release xdpgate, namespace\n"
            + "# kube-system) by `make deploy-manifest`; do not edit. Install: kubectl apply -f deploy/xdpgate.yaml\n";

    @Test
    void isTheChartRenderedWithItsDefaults() throws Exception {
        String rendered = HEADER + Chart.render(Map.of());
        if (Boolean.getBoolean("xdpgate.deploy.write")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, rendered);
        }
        assertEquals(rendered, Files.readString(FILE), "deploy/xdpgate.yaml differs from the chart: run make deploy-manifest");
    }

    @Test
    void asksForNoPrivilege() throws Exception {
        var objects = new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                .<java.util.List<io.fabric8.kubernetes.api.model.HasMetadata>>unmarshal(Files.readString(FILE));
        PrivilegeGuard.check(Chart.one(objects, DaemonSet.class));
    }
}
