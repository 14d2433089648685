package io.xdpgate.gateways.runtime;

import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_CLOSED;
import static io.xdpgate.gateways.runtime.RuntimeStats.Counter.FLOWS_EXPIRED;

import io.xdpgate.abi.TcpFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime's time-driven work: a refused client that stayed silent is reset after its grace
 * period, a closed connection is forgotten after the closing time, an idle one expires.
 */
final class FlowTimers {
    private final FlowTable<Flow> table;
    private final FrameOut out;
    private final RuntimeStats stats;
    private final GatewayRuntime.Limits limits;

    FlowTimers(FlowTable<Flow> table, FrameOut out, RuntimeStats stats, GatewayRuntime.Limits limits) {
        this.table = table;
        this.out = out;
        this.stats = stats;
        this.limits = limits;
    }

    void tick(long now) {
        List<Flow> done = new ArrayList<>();
        for (Flow flow : table.all()) {
            if (flow.state == Flow.State.DENIED && now - flow.denyDeadlineNs >= 0) {
                out.craft(flow, false, flow.clientResetSeq, 0, TcpFlags.RST, new byte[0]);
                done.add(flow);
            } else if (flow.finishing && now - flow.lastSeenNs >= limits.closingNs()) {
                done.add(flow);
            } else if (flow.finishing) {
                // nothing more is fed: the session and emptied rings go now, the TCP state stays
                // for the closing time (the last ACK, retransmitted FINs)
                table.closeSession(flow);
                flow.client.unacked.giveBackIfEmpty();
                flow.server.unacked.giveBackIfEmpty();
            } else if (now - flow.lastSeenNs >= limits.idleNs()) {
                stats.inc(FLOWS_EXPIRED);
                done.add(flow);
            }
        }
        for (Flow flow : done) {
            table.end(flow, FLOWS_CLOSED);
        }
    }
}
