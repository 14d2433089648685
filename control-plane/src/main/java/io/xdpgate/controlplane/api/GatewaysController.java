package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.gateway.GatewayHost;
import io.xdpgate.gateways.runtime.XskGateway;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.model.PolicyDocument;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.controlplane.policy.translate.PolicyTranslation;
import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Gateway;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The policy's gateways with what the kernel knows of them (active or not, fail mode, pool) and,
 * for those this daemon hosts, their runtime: interfaces, connections and counters.
 */
@RestController
class GatewaysController {
    private final PolicyService policies;
    private final LoadedDatapath datapath;
    private final GatewayHost host;

    GatewaysController(PolicyService policies, LoadedDatapath datapath, GatewayHost host) {
        this.policies = policies;
        this.datapath = datapath;
        this.host = host;
    }

    @GetMapping("/api/v1/gateways")
    List<Map<String, Object>> list() {
        PolicyDocument doc = policies.current();
        if (doc == null) {
            return List.of();
        }
        return PolicyTranslation.translate(doc).gateways().stream().map(this::view).toList();
    }

    private Map<String, Object> view(GatewayAssignment g) {
        Gateway k = datapath.tables().gateways().get(g.id()).orElse(null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", g.name());
        out.put("id", g.id());
        out.put("protocol", g.spec().protocol());
        out.put("address4", g.address4().map(Object::toString).orElse(null));
        out.put("address6", g.address6().map(Object::toString).orElse(null));
        out.put("ports", g.pool().toString());
        out.put("failMode", g.failMode().jsonName());
        out.put("active", k != null && k.hasFlag(Abi.XG_GW_F_ACTIVE));
        XskGateway runtime = host.runtimes().get(g.name());
        out.put("hosted", runtime != null);
        if (runtime != null) {
            out.put("running", runtime.isRunning());
            out.put("interfaces", host.interfaces(g.name()).orElse(List.of()));
            out.put("flows", runtime.runtime().flowCount());
            Map<String, Long> counters = new LinkedHashMap<>();
            runtime.runtime().stats().snapshot().forEach((c, v) -> counters.put(c.key(), v));
            out.put("counters", counters);
        }
        return out;
    }
}
