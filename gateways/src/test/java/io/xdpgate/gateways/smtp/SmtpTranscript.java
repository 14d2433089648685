package io.xdpgate.gateways.smtp;

import io.xdpgate.gateways.spi.GatewaySession;
import io.xdpgate.gateways.spi.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Plays an SMTP dialog through a session: each step is {@code "C:"} (client bytes) or {@code "S:"}
 * (server bytes) followed by the bytes, fed in pieces of at most {@code piece} bytes; the run
 * stops at the first Deny or AllowFlow.
 */
final class SmtpTranscript {
    /** What came of a run: the verdict that ended it (null: none), the highest approvals, all bytes sent each way. */
    record Outcome(Verdict ended, long clientApproved, long serverApproved, long clientSent, long serverSent) {
        Verdict.Deny deny() {
            return ended instanceof Verdict.Deny d ? d : null;
        }

        /** The reply the client was sent, "" when none. */
        String refusal() {
            return deny() == null ? "" : new String(deny().refusal(), StandardCharsets.US_ASCII);
        }

        boolean passedWhole() {
            return ended == null && clientApproved == clientSent && serverApproved == serverSent;
        }
    }

    private SmtpTranscript() {
    }

    static Outcome run(Map<String, Object> config, List<String> steps, int piece) {
        GatewaySession s = new SmtpGatewayFactory().create(config).open(null);
        long client = 0;
        long server = 0;
        long clientApproved = 0;
        long serverApproved = 0;
        for (String step : steps) {
            boolean fromClient = step.startsWith("C:");
            byte[] bytes = step.substring(2).getBytes(StandardCharsets.ISO_8859_1);
            for (int at = 0; at < bytes.length; at += piece) {
                byte[] part = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + piece));
                Verdict v = fromClient ? s.onClientBytes(client, ByteBuffer.wrap(part))
                        : s.onServerBytes(server, ByteBuffer.wrap(part));
                if (fromClient) {
                    client += part.length;
                } else {
                    server += part.length;
                }
                if (!(v instanceof Verdict.Approve a)) {
                    return new Outcome(v, clientApproved, serverApproved, client, server);
                }
                if (fromClient) {
                    clientApproved = Math.max(clientApproved, a.through());
                } else {
                    serverApproved = Math.max(serverApproved, a.through());
                }
            }
        }
        return new Outcome(null, clientApproved, serverApproved, client, server);
    }

    static Outcome run(List<String> steps) {
        return run(Map.of(), steps, Integer.MAX_VALUE);
    }
}
