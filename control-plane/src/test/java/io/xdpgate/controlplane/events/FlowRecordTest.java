package io.xdpgate.controlplane.events;

import static io.xdpgate.controlplane.events.FlowLogTest.NAT;
import static io.xdpgate.controlplane.events.FlowLogTest.ORIG;
import static io.xdpgate.controlplane.events.FlowLogTest.tuple;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The JSON record of each kind of event, exactly, and names from the policy escaped so any parser reads them back. */
class FlowRecordTest {
    private static final Instant T = Instant.parse("2026-12-07T11:31:53.740876469Z");
    private static final FlowRecord JSON = new FlowRecord("node-1", Clock.fixed(Instant.parse("2026-12-07T11:31:54Z"),
            ZoneOffset.UTC));

    @Test
    void aRedirectCarriesTheNatTupleRuleAndGateway() {
        FlowEvent e = new FlowEvent(1, T, EventType.REDIRECT, 281474976710657L, ORIG, NAT, 4L, "http", 0, "web", null);
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"node-1\",\"event_type\":\"redirect\","
                + "\"seq\":1,\"flow_id\":281474976710657,\"src_ip\":\"198.18.1.2\",\"src_port\":40312,"
                + "\"dest_ip\":\"198.18.2.2\",\"dest_port\":80,\"proto\":\"TCP\",\"nat\":{\"src_ip\":\"198.18.1.2\","
                + "\"src_port\":40312,\"dest_ip\":\"198.18.255.1\",\"dest_port\":40000},\"rule\":\"http\",\"rule_id\":4,"
                + "\"gateway\":\"web\",\"gateway_id\":0}", JSON.event(e));
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"node-1\",\"event_type\":\"closed\","
                + "\"seq\":2,\"flow_id\":281474976710657,\"src_ip\":\"198.18.1.2\",\"src_port\":40312,"
                + "\"dest_ip\":\"198.18.2.2\",\"dest_port\":80,\"proto\":\"TCP\",\"nat\":{\"src_ip\":\"198.18.1.2\","
                + "\"src_port\":40312,\"dest_ip\":\"198.18.255.1\",\"dest_port\":40000},\"rule\":\"http\",\"rule_id\":4,"
                + "\"gateway\":\"web\",\"gateway_id\":0}",
                JSON.event(new FlowEvent(2, T, EventType.CLOSED, 281474976710657L, ORIG, NAT, 4L, "http", 0, "web", null)));
    }

    @Test
    void aDropHasItsReasonAndNoFlowId() {
        FlowEvent e = new FlowEvent(5, T, EventType.DROP, 0, tuple("198.18.1.2", 57444, "198.18.2.2", 23, 6), null, 3L,
                "no-telnet", null, null, Stat.DROP_POLICY);
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"node-1\",\"event_type\":\"drop\","
                + "\"seq\":5,\"src_ip\":\"198.18.1.2\",\"src_port\":57444,\"dest_ip\":\"198.18.2.2\",\"dest_port\":23,"
                + "\"proto\":\"TCP\",\"rule\":\"no-telnet\",\"rule_id\":3,\"reason\":\"policy\"}", JSON.event(e));
        FlowEvent gwDown = new FlowEvent(6, T, EventType.DROP, 0, ORIG, null, 4L, "http", 0, "web", Stat.DROP_GW_DOWN);
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"node-1\",\"event_type\":\"drop\","
                + "\"seq\":6,\"src_ip\":\"198.18.1.2\",\"src_port\":40312,\"dest_ip\":\"198.18.2.2\",\"dest_port\":80,"
                + "\"proto\":\"TCP\",\"rule\":\"http\",\"rule_id\":4,\"gateway\":\"web\",\"gateway_id\":0,"
                + "\"reason\":\"gw_down\"}", JSON.event(gwDown));
    }

    @Test
    void theDefaultActionHasNoRuleIdAndAReplacedRuleOnlyItsId() {
        FlowEvent dflt = new FlowEvent(7, T, EventType.DROP, 0, tuple("198.18.1.2", 40005, "198.18.2.2", 8081, 6), null,
                null, "default", null, null, Stat.DROP_DEFAULT);
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"node-1\",\"event_type\":\"drop\","
                + "\"seq\":7,\"src_ip\":\"198.18.1.2\",\"src_port\":40005,\"dest_ip\":\"198.18.2.2\",\"dest_port\":8081,"
                + "\"proto\":\"TCP\",\"rule\":\"default\",\"reason\":\"default\"}", JSON.event(dflt));
        FlowEvent gone = new FlowEvent(8, T, EventType.NEW, 9, ORIG, null, 12L, null, 3, null, null);
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"node-1\",\"event_type\":\"new\","
                + "\"seq\":8,\"flow_id\":9,\"src_ip\":\"198.18.1.2\",\"src_port\":40312,\"dest_ip\":\"198.18.2.2\","
                + "\"dest_port\":80,\"proto\":\"TCP\",\"rule_id\":12,\"gateway_id\":3}", JSON.event(gone));
    }

    @Test
    void ipv6AndProtocolsWithoutPorts() {
        FlowEvent v6 = new FlowEvent(3, T, EventType.REDIRECT, 281474976710658L,
                tuple("2001:db8:1::2", 57230, "2001:db8:2::2", 80, 6), tuple("2001:db8:1::2", 57230, "2001:db8:ff::1",
                40575, 6), 7L, "http6", 0, "web", null);
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"node-1\",\"event_type\":\"redirect\","
                + "\"seq\":3,\"flow_id\":281474976710658,\"src_ip\":\"2001:db8:1::2\",\"src_port\":57230,"
                + "\"dest_ip\":\"2001:db8:2::2\",\"dest_port\":80,\"proto\":\"TCP\",\"nat\":{\"src_ip\":\"2001:db8:1::2\","
                + "\"src_port\":57230,\"dest_ip\":\"2001:db8:ff::1\",\"dest_port\":40575},\"rule\":\"http6\",\"rule_id\":7,"
                + "\"gateway\":\"web\",\"gateway_id\":0}", JSON.event(v6));
        FlowEvent ping6 = new FlowEvent(4, T, EventType.NEW, 10, tuple("2001:db8:1::2", 77, "2001:db8:2::2", 0, 58), null,
                1L, "ping6", null, null, null);
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"node-1\",\"event_type\":\"new\","
                + "\"seq\":4,\"flow_id\":10,\"src_ip\":\"2001:db8:1::2\",\"dest_ip\":\"2001:db8:2::2\","
                + "\"proto\":\"IPv6-ICMP\",\"rule\":\"ping6\",\"rule_id\":1}", JSON.event(ping6));
        FlowEvent gre = new FlowEvent(5, T, EventType.DROP, 0, new Tuple(ORIG.saddr(), ORIG.daddr(), 0, 0, 47, 4), null,
                null, "default", null, null, Stat.DROP_POLICY);
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"node-1\",\"event_type\":\"drop\","
                + "\"seq\":5,\"src_ip\":\"198.18.1.2\",\"dest_ip\":\"198.18.2.2\",\"proto\":\"47\",\"rule\":\"default\","
                + "\"reason\":\"policy\"}", JSON.event(gre));
        assertEquals("ICMP", FlowRecord.proto(1));
        assertEquals("UDP", FlowRecord.proto(17));
    }

    @Test
    void aConnectionIdPastLongMaxIsWrittenUnsigned() {
        FlowEvent e = new FlowEvent(1, T, EventType.NEW, -1L, ORIG, null, 0L, "ssh", null, null, null);
        assertEquals(true, JSON.event(e).contains("\"flow_id\":18446744073709551615,"), JSON.event(e));
    }

    @Test
    void namesFromThePolicyAreEscaped() throws Exception {
        String nasty = "we\"b\\ \u0001\t\n\u001f \u00e9\u4e16 \ud83d\ude00 </script>";
        FlowEvent e = new FlowEvent(1, T, EventType.REDIRECT, 5, ORIG, NAT, 1L, nasty, 2, "gw\u2028\"", null);
        String line = new FlowRecord("h\"ost", Clock.systemUTC()).event(e);
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:53.740876+0000\",\"host\":\"h\\\"ost\",\"event_type\":\"redirect\","
                + "\"seq\":1,\"flow_id\":5,\"src_ip\":\"198.18.1.2\",\"src_port\":40312,\"dest_ip\":\"198.18.2.2\","
                + "\"dest_port\":80,\"proto\":\"TCP\",\"nat\":{\"src_ip\":\"198.18.1.2\",\"src_port\":40312,"
                + "\"dest_ip\":\"198.18.255.1\",\"dest_port\":40000},"
                + "\"rule\":\"we\\\"b\\\\ \\u0001\\t\\n\\u001F \u00e9\u4e16 \ud83d\ude00 </script>\",\"rule_id\":1,"
                + "\"gateway\":\"gw\u2028\\\"\",\"gateway_id\":2}", line);
        assertEquals(-1, line.indexOf('\n'), "one line");
        Map<?, ?> back = JsonMapper.builder().build().readValue(line, Map.class);
        assertEquals(nasty, back.get("rule"));
        assertEquals("gw\u2028\"", back.get("gateway"));
        assertEquals("h\"ost", back.get("host"));
    }

    @Test
    void theSuppressionSummary() {
        assertEquals("{\"timestamp\":\"2026-12-07T11:31:54.000000+0000\",\"host\":\"node-1\","
                + "\"event_type\":\"drop_suppressed\",\"count\":1234,\"limit\":100}", JSON.suppressed(1234, 100));
    }
}
