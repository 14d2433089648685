package io.xdpgate.controlplane.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.List;

/**
 * What the DaemonSet must never ask for: privileged containers, the host's PID or IPC namespace,
 * SYS_ADMIN. The capabilities it has are each justified in values.yaml; these would give it the
 * node.
 */
final class PrivilegeGuard {
    private PrivilegeGuard() {
    }

    static void check(DaemonSet ds) {
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        List<String> wrong = new ArrayList<>();
        if (Boolean.TRUE.equals(pod.getHostPID())) {
            wrong.add("hostPID");
        }
        if (Boolean.TRUE.equals(pod.getHostIPC())) {
            wrong.add("hostIPC");
        }
        List<Container> all = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            all.addAll(pod.getInitContainers());
        }
        for (Container c : all) {
            var sc = c.getSecurityContext();
            if (sc == null || !Boolean.FALSE.equals(sc.getPrivileged())) {
                wrong.add(c.getName() + ": privileged not false");
            }
            if (sc != null && sc.getCapabilities() != null && sc.getCapabilities().getAdd() != null
                    && sc.getCapabilities().getAdd().stream().anyMatch(a -> a.equals("SYS_ADMIN") || a.equals("ALL"))) {
                wrong.add(c.getName() + ": " + sc.getCapabilities().getAdd());
            }
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError(ds.getMetadata().getName() + " asks for what gives it the node: " + wrong);
        }
    }
}
