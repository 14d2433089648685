package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.datapath.LoadedDatapath;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code xdpgate detach}: takes the program off the interfaces (and, with purge, the pinned maps). */
@RestController
class DatapathController {
    private final LoadedDatapath datapath;

    DatapathController(LoadedDatapath datapath) {
        this.datapath = datapath;
    }

    @PostMapping("/api/v1/datapath:detach")
    Map<String, Object> detach(@RequestParam(defaultValue = "false") boolean purge) {
        datapath.detach(purge);
        return Map.of("detached", true, "purged", purge);
    }
}
