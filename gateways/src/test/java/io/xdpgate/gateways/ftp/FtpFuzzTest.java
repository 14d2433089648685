package io.xdpgate.gateways.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xdpgate.gateways.spi.Expectation;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.SessionTranscript;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Jazzer harness for the FTP gateway's control connection. The input is a dialog: records of one
 * byte (high bit: from the server; low 7 bits: length) and that many bytes. Checked: the verdict
 * and the expectations asked for are the same when every record is cut in two; approvals never
 * pass bytes not yet sent; and every expectation joins the client and the server of the control
 * connection, on a port of 1024 or more (no FTP bounce gets through). A regression over the seeds
 * ({@code FtpFuzzTestInputs/control/}) in every build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class FtpFuzzTest {
    private static final FtpGateway GATEWAY = new FtpGateway(FtpGatewayConfig.fromMap(Map.of("maxLineLength", 512)));

    @FuzzTest(maxDuration = "5m")
    void control(byte[] input) {
        FtpGatewayTest.Asked whole = new FtpGatewayTest.Asked();
        FtpGatewayTest.Asked cut = new FtpGatewayTest.Asked();
        String a = run(input, false, whole);
        String b = run(input, true, cut);
        if (!a.contains("after the 234")) { // seen only when the bytes after it share its chunk
            assertEquals(a, b);
            assertEquals(whole.wanted, cut.wanted);
        }
        for (Expectation e : whole.wanted) {
            boolean passive = e.from().equals(FtpGatewayTest.CLIENT.getAddress())
                    && e.to().getAddress().equals(FtpGatewayTest.SERVER.getAddress());
            boolean active = e.from().equals(FtpGatewayTest.SERVER.getAddress())
                    && e.to().getAddress().equals(FtpGatewayTest.CLIENT.getAddress());
            assertTrue((passive || active) && e.to().getPort() >= 1024, "a bounce got through: " + e);
        }
    }

    private static String run(byte[] input, boolean cut, FtpGatewayTest.Asked asked) {
        GatewaySession s = GATEWAY.open(new FlowContext(7, FtpGatewayTest.CLIENT, FtpGatewayTest.SERVER, asked));
        long client = 0;
        long server = 0;
        for (SessionTranscript.FuzzRecord r : SessionTranscript.FuzzRecord.read(input)) {
            boolean fromServer = r.fromServer();
            byte[] record = r.bytes();
            int length = record.length;
            int[] ends = cut && length > 1 ? new int[] {length / 2, length} : new int[] {length};
            int from = 0;
            for (int to : ends) {
                ByteBuffer piece = ByteBuffer.wrap(record, from, to - from).slice();
                Verdict v = fromServer ? s.onServerBytes(server, piece) : s.onClientBytes(client, piece);
                if (fromServer) {
                    server += to - from;
                } else {
                    client += to - from;
                }
                if (v instanceof Verdict.Approve ap) {
                    assertTrue(ap.through() <= (fromServer ? server : client), "approved past what was sent: " + ap);
                } else {
                    return v instanceof Verdict.Deny d ? "deny " + d.reason() : "allow flow";
                }
                from = to;
            }
        }
        return "open";
    }
}
