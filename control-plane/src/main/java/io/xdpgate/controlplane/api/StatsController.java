package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.connections.ConnectionGc;
import io.xdpgate.controlplane.datapath.LoadedDatapath;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Every kernel counter by name (summed over CPUs), and what GC removed. */
@RestController
class StatsController {
    private final LoadedDatapath datapath;
    private final ConnectionGc gc;

    StatsController(LoadedDatapath datapath, ConnectionGc gc) {
        this.datapath = datapath;
        this.gc = gc;
    }

    @GetMapping("/api/v1/stats")
    Map<String, Object> stats() {
        Map<String, Long> counters = new LinkedHashMap<>();
        datapath.tables().counters().forEach((stat, value) -> counters.put(stat.displayName(), value));
        Map<String, Long> gcCounts = new LinkedHashMap<>();
        gcCounts.put("removed_idle", gc.removedIdle());
        gcCounts.put("removed_closed", gc.removedClosed());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counters", counters);
        out.put("gc", gcCounts);
        out.put("connections", datapath.tables().conns().keys().size());
        return out;
    }

}
