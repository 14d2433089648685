package io.xdpgate.controlplane.events;

import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Tuple;
import java.io.StringWriter;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The flow log's JSON record, one object per line, its field names after Suricata's EVE so log
 * shippers (Fluent Bit, Vector, Loki) take it as it is:
 *
 * <pre>
 * {"timestamp":"2026-12-07T11:31:53.740876+0000","host":"node-1","event_type":"redirect","seq":1,"flow_id":281474976710657,"src_ip":"198.18.1.2","src_port":57612,"dest_ip":"198.18.2.2","dest_port":80,"proto":"TCP","nat":{"src_ip":"198.18.1.2","src_port":57612,"dest_ip":"198.18.255.1","dest_port":40631},"rule":"http","rule_id":4,"gateway":"web","gateway_id":0}
 * {"timestamp":"2026-12-07T11:31:53.788866+0000","host":"node-1","event_type":"drop","seq":5,"src_ip":"198.18.1.2","src_port":57444,"dest_ip":"198.18.2.2","dest_port":23,"proto":"TCP","rule":"no-telnet","rule_id":3,"reason":"policy"}
 * {"timestamp":"2026-12-07T11:31:54.000012+0000","host":"node-1","event_type":"drop_suppressed","count":1234,"limit":100}
 * </pre>
 *
 * {@code event_type} is the event's type (new, redirect, closed, drop) or drop_suppressed;
 * {@code timestamp} as EVE writes it (microseconds, UTC as +0000); {@code proto} as EVE names it
 * (TCP, UDP, ICMP, IPv6-ICMP, else the number); ports only for TCP and UDP. A field without a
 * value is left out: {@code flow_id} for a drop (no connection was made), {@code nat} unless the
 * flow was redirected, {@code rule_id} for the default action (rule "default"), {@code rule} and
 * {@code gateway} when the policy in force no longer has that id, {@code gateway}/{@code
 * gateway_id} unless a gateway took part, {@code reason} unless a drop. Names come from the
 * policy and are escaped as JSON requires; other text is written as UTF-8.
 */
public final class FlowRecord implements FlowFormat {
    static final DateTimeFormatter EVE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSZ")
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    private final String host;
    private final Clock wallClock;

    /**
     * @param host      the node's name in every record
     * @param wallClock the time of a suppression summary (an event has its own)
     */
    public FlowRecord(String host, Clock wallClock) {
        this.host = host;
        this.wallClock = wallClock;
    }

    @Override
    public String event(FlowEvent e) {
        StringWriter out = new StringWriter(320);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            head(g, e.time(), e.typeName());
            g.writeNumberProperty("seq", e.seq());
            if (e.connId() != 0) {
                g.writeName("flow_id");
                if (e.connId() > 0) {
                    g.writeNumber(e.connId());
                } else {
                    g.writeNumber(new BigInteger(Long.toUnsignedString(e.connId())));
                }
            }
            endpoints(g, e.original());
            g.writeStringProperty("proto", proto(e.original().proto()));
            if (e.nat() != null) {
                g.writeName("nat");
                g.writeStartObject();
                endpoints(g, e.nat());
                g.writeEndObject();
            }
            if (e.rule() != null) {
                g.writeStringProperty("rule", e.rule());
            }
            if (e.ruleId() != null) {
                g.writeNumberProperty("rule_id", e.ruleId());
            }
            if (e.gateway() != null) {
                g.writeStringProperty("gateway", e.gateway());
            }
            if (e.gatewayId() != null) {
                g.writeNumberProperty("gateway_id", e.gatewayId());
            }
            if (e.reason() != null) {
                g.writeStringProperty("reason", e.reasonName());
            }
            g.writeEndObject();
        }
        return out.toString();
    }

    @Override
    public String suppressed(long count, int limit) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            head(g, wallClock.instant(), "drop_suppressed");
            g.writeNumberProperty("count", count);
            g.writeNumberProperty("limit", limit);
            g.writeEndObject();
        }
        return out.toString();
    }

    private void head(JsonGenerator g, Instant time, String type) {
        g.writeStringProperty("timestamp", EVE_TIME.format(time));
        g.writeStringProperty("host", host);
        g.writeStringProperty("event_type", type);
    }

    private static void endpoints(JsonGenerator g, Tuple t) {
        boolean ports = t.proto() == IpProto.TCP || t.proto() == IpProto.UDP;
        g.writeStringProperty("src_ip", t.saddr().toString());
        if (ports) {
            g.writeNumberProperty("src_port", t.sport());
        }
        g.writeStringProperty("dest_ip", t.daddr().toString());
        if (ports) {
            g.writeNumberProperty("dest_port", t.dport());
        }
    }

    /** EVE's protocol names (IANA keywords); the number for others. */
    static String proto(int proto) {
        return switch (proto) {
            case IpProto.TCP -> "TCP";
            case IpProto.UDP -> "UDP";
            case IpProto.ICMP -> "ICMP";
            case IpProto.ICMPV6 -> "IPv6-ICMP";
            default -> Integer.toString(proto);
        };
    }
}
