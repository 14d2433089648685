package io.xdpgate.controlplane.config;

import io.xdpgate.controlplane.connections.ConnectionGc;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs connection GC at the configured interval. */
@Component
class GcSchedule {
    private final ConnectionGc gc;

    GcSchedule(ConnectionGc gc) {
        this.gc = gc;
    }

    @Scheduled(fixedDelayString = "${xdpgate.gc.interval:5s}")
    void sweep() {
        gc.sweep();
    }
}
