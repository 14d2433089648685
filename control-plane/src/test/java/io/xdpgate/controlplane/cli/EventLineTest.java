package io.xdpgate.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Events as the lab daemon streamed them (notes/samples/api_v1_events_limit_8), one line each. */
class EventLineTest {
    private static final String REDIRECT = "{\"seq\":1,\"time\":\"2026-12-07T11:31:53.740876469Z\",\"type\":\"redirect\","
            + "\"conn\":281474976710657,\"original\":{\"text\":\"198.18.1.2:57612 -> 198.18.2.2:80 tcp\",\"src\":"
            + "\"198.18.1.2\",\"srcPort\":57612,\"dst\":\"198.18.2.2\",\"dstPort\":80,\"protocol\":\"tcp\"},\"nat\":"
            + "{\"text\":\"198.18.1.2:57612 -> 198.18.255.1:40631 tcp\",\"src\":\"198.18.1.2\",\"srcPort\":57612,"
            + "\"dst\":\"198.18.255.1\",\"dstPort\":40631,\"protocol\":\"tcp\"},\"rule\":\"http\",\"ruleId\":4,"
            + "\"gateway\":\"web\",\"gatewayId\":0,\"reason\":null}";
    private static final String DROP = "{\"seq\":5,\"time\":\"2026-12-07T11:31:53.788866706Z\",\"type\":\"drop\","
            + "\"conn\":null,\"original\":{\"text\":\"198.18.1.2:57444 -> 198.18.2.2:23 tcp\",\"src\":\"198.18.1.2\","
            + "\"srcPort\":57444,\"dst\":\"198.18.2.2\",\"dstPort\":23,\"protocol\":\"tcp\"},\"nat\":null,\"rule\":"
            + "\"no-telnet\",\"ruleId\":3,\"gateway\":null,\"gatewayId\":null,\"reason\":\"policy\"}";

    @Test
    void aRedirectNamesRuleGatewayNatAndConnection() {
        assertEquals("2026-12-07T11:31:53.740876469Z #1 redirect 198.18.1.2:57612 -> 198.18.2.2:80 tcp rule=http "
                + "gateway=web nat=198.18.1.2:57612_->_198.18.255.1:40631_tcp conn=281474976710657",
                EventLine.format(REDIRECT));
        assertEquals(-1, EventLine.lost(REDIRECT));
    }

    @Test
    void aDropNamesItsReasonAndHasNoConnection() {
        assertEquals("2026-12-07T11:31:53.788866706Z #5 drop 198.18.1.2:57444 -> 198.18.2.2:23 tcp rule=no-telnet "
                + "reason=policy", EventLine.format(DROP));
    }

    @Test
    void theLostMarkerAndAnythingElse() {
        assertEquals(123, EventLine.lost("{\"lost\":123}"));
        assertEquals("not json", EventLine.format("not json"));
        assertEquals(-1, EventLine.lost("not json"));
    }
}
