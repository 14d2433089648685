package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.datapath.Attachment;
import io.xdpgate.controlplane.datapath.InterfaceAttachment;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.policy.PolicyApplies;
import io.xdpgate.controlplane.policy.PolicyService;
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
    private final PolicyApplies applies;

    HealthController(LoadedDatapath datapath, PolicySource policySource, PolicyService policies) {
        this.datapath = datapath;
        this.policySource = policySource;
        this.applies = policies.applies();
    }

    @GetMapping("/healthz")
    Map<String, Object> health() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("programId", datapath.program().id());
        out.put("reusedPinnedMaps", datapath.reusedMaps());
        out.put("detached", datapath.isDetached());
        out.put("attachments", datapath.interfaces().stream().map(HealthController::attachment).toList());
        // the node's one source of truth for its policy: rest, or kubernetes with the object in force
        // and which apply is in force: applies since start, and when it took effect (null before the first);
        // a cluster source's generation is its object's (metadata.generation), which says more there
        Map<String, Object> policy = new LinkedHashMap<>(policySource.describe());
        policy.putIfAbsent("generation", applies.generation());
        policy.put("appliedAt", applies.appliedAt() == null ? null : applies.appliedAt().toString());
        out.put("policy", policy);
        return out;
    }

    /** Where the program runs, the interface's role, and what selected it: its name, or a pattern. */
    private static Map<String, Object> attachment(InterfaceAttachment i) {
        Attachment a = i.attachment();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("interface", a.device());
        out.put("ifindex", a.ifindex());
        out.put("role", i.role().name().toLowerCase(Locale.ROOT));
        out.put("hook", a.hook().name().toLowerCase(Locale.ROOT));
        out.put("mode", a.hook() == Hook.XDP ? a.xdpMode().name().toLowerCase(Locale.ROOT) : "ingress");
        out.put("programId", a.programId());
        if (i.pattern() != null) {
            out.put("pattern", i.pattern().glob());
        }
        return out;
    }
}
