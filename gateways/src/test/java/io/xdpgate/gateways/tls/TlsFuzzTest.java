package io.xdpgate.gateways.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Jazzer harness for the TLS gateway: the input is a client's stream; the verdict must be the same
 * however it is cut, and nothing is approved before the verdict. A regression over the seeds
 * ({@code TlsFuzzTestInputs/session/}) in every build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class TlsFuzzTest {
    private static final FlowContext FLOW = new FlowContext(1, new InetSocketAddress("198.18.1.2", 40000),
            new InetSocketAddress("198.18.2.2", 443));
    private static final TlsGateway GATEWAY = new TlsGateway(TlsGatewayConfig.fromMap(Map.of(
            "allowNames", List.of("*.example"), "denyNames", List.of("bad.example"), "maxHello", 2048)));

    @FuzzTest(maxDuration = "5m")
    void session(byte[] input) {
        String whole = verdict(input, input.length);
        for (int cut = 1; cut < Math.min(input.length, 96); cut++) {
            assertEquals(whole, verdict(input, cut), "cut at " + cut);
        }
    }

    private static String verdict(byte[] input, int cut) {
        GatewaySession s = GATEWAY.open(FLOW);
        int from = 0;
        Verdict v = null;
        for (int to : new int[] {cut, input.length}) {
            if (to < from || (v != null && !(v instanceof Verdict.Approve))) {
                break;
            }
            v = s.onClientBytes(from, ByteBuffer.wrap(input, from, to - from).slice());
            if (v instanceof Verdict.Approve a) {
                assertTrue(a.through() == 0, "approved before the verdict: " + a);
            }
            from = to;
        }
        return v instanceof Verdict.Deny d ? "deny " + d.reason() : String.valueOf(v instanceof Verdict.AllowFlow);
    }
}
