package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.connections.PoolUsage;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import io.xdpgate.controlplane.gateway.GatewayHost;
import io.xdpgate.controlplane.gateway.GatewayLiveness;
import io.xdpgate.controlplane.gateway.GatewayStatus;
import io.xdpgate.controlplane.policy.PolicyService;
import io.xdpgate.controlplane.policy.translate.GatewayAssignment;
import io.xdpgate.abi.Gateway;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The policy's gateways with what the kernel knows of them (active or not, fail mode, pool and
 * how full it is) and,
 * for those this daemon hosts, their runtime: interfaces, state, connections, counters and the
 * watchdog's restarts, summed and per instance. {@code active} is what the packet processor acts on: the entry's ACTIVE
 * flag and, for a hosted gateway, its socket in gw_xsks (false while it restarts).
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
        List<GatewayAssignment> gateways = policies.gatewaysInForce();
        if (gateways.isEmpty()) {
            return List.of();
        }
        Map<Integer, PoolUsage.Pool> pools = PoolUsage.of(datapath.tables());
        return gateways.stream().map(g -> view(g, pools.get(g.id()))).toList();
    }

    private Map<String, Object> view(GatewayAssignment g, PoolUsage.Pool pool) {
        Gateway k = datapath.tables().gateways().get(g.id()).orElse(null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", g.name());
        out.put("id", g.id());
        out.put("protocol", g.spec().protocol());
        out.put("address4", g.address4().map(Object::toString).orElse(null));
        out.put("address6", g.address6().map(Object::toString).orElse(null));
        out.put("ports", g.pool().toString());
        out.put("failMode", g.failMode().jsonName());
        if (pool != null) {
            out.put("pool", Map.of("used", pool.used(), "size", pool.size(), "fill", pool.fill()));
        }
        GatewayStatus hosted = host.status(g.name()).orElse(null);
        out.put("active", GatewayLiveness.active(k, hosted));
        out.put("hosted", hosted != null);
        if (hosted != null) {
            out.put("running", hosted.running());
            out.put("state", hosted.state());
            out.put("interfaces", hosted.interfaces());
            out.put("flows", hosted.flows());
            out.put("heldBytes", hosted.heldBytes());
            out.put("counters", hosted.counters());
            out.put("restarts", hosted.restarts());
            out.put("lastRestartCause", hosted.lastRestartCause());
            out.put("lastFailureAt", hosted.lastFailureAt() == null ? null : hosted.lastFailureAt().toString());
            out.put("instances", hosted.instances().stream().map(GatewaysController::view).toList());
        }
        return out;
    }

    private static Map<String, Object> view(GatewayStatus.Instance i) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance", i.instance());
        out.put("state", i.state());
        out.put("interfaces", i.interfaces());
        out.put("flows", i.flows());
        out.put("heldBytes", i.heldBytes());
        out.put("counters", i.counters());
        out.put("lastRestartCause", i.lastRestartCause());
        out.put("lastFailureAt", i.lastFailureAt() == null ? null : i.lastFailureAt().toString());
        return out;
    }
}
