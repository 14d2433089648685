package io.xdpgate.controlplane.events;

import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Tuple;

/**
 * The flow log's key=value lines, joining the original 5-tuple and the NAT tuple:
 *
 * <pre>
 * event=redirect conn=281474976710657 orig=tcp 198.18.1.2:40312 -> 198.18.2.2:80 nat=tcp 198.18.1.2:40312 -> 198.18.255.1:40000 rule=web gateway=http
 * event=drop orig=tcp 198.18.1.2:40314 -> 198.18.2.2:23 rule=default reason=default
 * event=drop-suppressed count=1234 limit=100/s
 * </pre>
 */
public final class FlowText implements FlowFormat {
    public static final FlowText INSTANCE = new FlowText();

    private FlowText() {
    }

    @Override
    public String event(FlowEvent e) {
        return line(e);
    }

    @Override
    public String suppressed(long count, int limit) {
        return "event=drop-suppressed count=" + count + " limit=" + limit + "/s";
    }

    /** The event's line; keys are left out where they have no value. */
    public static String line(FlowEvent e) {
        StringBuilder b = new StringBuilder(160).append("event=").append(e.typeName());
        if (e.connId() != 0) {
            b.append(" conn=").append(Long.toUnsignedString(e.connId()));
        }
        b.append(" orig=").append(tuple(e.original()));
        if (e.nat() != null) {
            b.append(" nat=").append(tuple(e.nat()));
        }
        b.append(" rule=").append(e.rule() != null ? e.rule() : "#" + e.ruleId());
        if (e.gatewayId() != null) {
            b.append(" gateway=").append(e.gateway() != null ? e.gateway() : "#" + e.gatewayId());
        }
        if (e.reason() != null) {
            b.append(" reason=").append(e.reasonName());
        }
        return b.toString();
    }

    /** {@code tcp 198.18.1.2:40312 -> 198.18.2.2:80}; IPv6 addresses in brackets. */
    public static String tuple(Tuple t) {
        return IpProto.name(t.proto()).replace(' ', '-') + " " + endpoint(t.saddr(), t.sport()) + " -> "
                + endpoint(t.daddr(), t.dport());
    }

    private static String endpoint(IpAddr addr, int port) {
        return (addr.isIpv4() ? addr.toString() : "[" + addr + "]") + ":" + port;
    }
}
