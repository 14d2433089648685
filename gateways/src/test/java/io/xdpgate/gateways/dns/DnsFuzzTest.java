package io.xdpgate.gateways.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jazzer harnesses for the DNS gateway: the parser takes any bytes with its own refusal or a
 * message whose question lies inside them; the TCP session gives the same verdicts however its
 * bytes are split, never approves past what it was given and never goes back. In a normal build
 * each runs once over its seeds ({@code DnsFuzzTestInputs/<method>/}); {@code JAZZER_FUZZ=1}
 * fuzzes (gateways/README.md).
 */
class DnsFuzzTest {
    private static final FlowContext FLOW = new FlowContext(1, new InetSocketAddress("198.18.1.2", 40000),
            new InetSocketAddress("198.18.2.2", 53));
    private static final DnsGateway GATEWAY = new DnsGateway(DnsGatewayConfig.fromMap(Map.of(
            "allowNames", List.of("**.example", "example"), "denyNames", List.of("*.bad.example"))));

    @FuzzTest(maxDuration = "5m")
    void parser(byte[] input) {
        try {
            DnsMessage m = DnsMessage.parse(ByteBuffer.wrap(input));
            assertTrue(m.questionEnd() > 12 && m.questionEnd() <= input.length);
            assertTrue(m.name().length() <= 253);
        } catch (DnsFormatException e) {
            assertTrue(!e.getMessage().isEmpty());
        }
    }

    /** The input is the client's stream; it is fed whole and cut at points drawn from itself. */
    @FuzzTest(maxDuration = "5m")
    void tcpSession(byte[] input) {
        String whole = transcript(input, new int[0]);
        int step = input.length == 0 ? 1 : 1 + (input[0] & 0x0f);
        List<Integer> cuts = new ArrayList<>();
        for (int c = step; c < input.length; c += step) {
            cuts.add(c);
        }
        assertEquals(whole, transcript(input, cuts.stream().mapToInt(Integer::intValue).toArray()));
        for (int cut = 1; cut < Math.min(input.length, 64); cut++) {
            assertEquals(whole, transcript(input, new int[] {cut}), "cut at " + cut);
        }
    }

    /** The final approval (or the deny) after feeding {@code input} in pieces. */
    private static String transcript(byte[] input, int[] cuts) {
        GatewaySession s = GATEWAY.open(FLOW);
        long approved = 0;
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : input.length;
            Verdict v = s.onClientBytes(from, ByteBuffer.wrap(input, from, to - from).slice());
            if (v instanceof Verdict.Deny d) {
                return "deny " + d.reason();
            }
            long through = ((Verdict.Approve) v).through();
            assertTrue(through >= approved && through <= to, through + " after " + approved + ", fed " + to);
            approved = through;
            from = to;
        }
        return "approve " + approved;
    }
}
