package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.api.ConnectionView.TupleView;
import io.xdpgate.controlplane.events.FlowEvent;

/**
 * A flow event as GET /api/v1/events shows it. {@code conn} is null for a drop (no connection
 * was made), {@code nat} unless the flow was redirected, {@code gateway}/{@code gatewayId} unless
 * a gateway took part, {@code ruleId} for the default action and {@code reason} unless a drop.
 */
record EventView(long seq, String time, String type, Long conn, TupleView original, TupleView nat, String rule,
                 Long ruleId, String gateway, Integer gatewayId, String reason) {
    static EventView of(FlowEvent e) {
        return new EventView(e.seq(), e.time().toString(), e.typeName(), e.connId() == 0 ? null : e.connId(),
                TupleView.of(e.original()), e.nat() == null ? null : TupleView.of(e.nat()), e.rule(), e.ruleId(),
                e.gateway(), e.gatewayId(), e.reasonName());
    }
}
