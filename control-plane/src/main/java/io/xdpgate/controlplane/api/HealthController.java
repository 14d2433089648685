package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.policy.PolicySource;
import io.xdpgate.datapath.tables.Hook;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness: the daemon runs and holds the datapath; where it is attached. */
@RestController
class HealthController {
    private final LoadedDatapath datapath;
    private final PolicySource policySource;

    HealthController(LoadedDatapath datapath, PolicySource policySource) {
        this.datapath = datapath;
        this.policySource = policySource;
    }

    @GetMapping("/healthz")
    Map<String, Object> health() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("programId", datapath.program().id());
        out.put("reusedPinnedMaps", datapath.reusedMaps());
        out.put("detached", datapath.isDetached());
        out.put("attachments", datapath.attachments().stream()
                .map(a -> Map.of("interface", a.device(), "ifindex", a.ifindex(),
                        "hook", a.hook().name().toLowerCase(Locale.ROOT),
                        "mode", a.hook() == Hook.XDP ? a.xdpMode().name().toLowerCase(Locale.ROOT) : "ingress",
                        "programId", a.programId()))
                .toList());
        // the node's one source of truth for its policy: rest, or kubernetes with the object in force
        out.put("policy", policySource.describe());
        return out;
    }
}
