package io.xdpgate.gateways.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Plays a dialog through a session (SMTP, FTP): each step is {@code "C:"} (client bytes) or {@code "S:"}
 * (server bytes) followed by the bytes, fed in pieces of at most {@code piece} bytes; the run
 * stops at the first Deny or AllowFlow.
 */
public final class SessionTranscript {
    /** What came of a run: the verdict that ended it (null: none), the highest approvals, all bytes sent each way. */
    public record Outcome(Verdict ended, long clientApproved, long serverApproved, long clientSent, long serverSent) {
        public Verdict.Deny deny() {
            return ended instanceof Verdict.Deny d ? d : null;
        }

        /** The reply the client was sent, "" when none. */
        public String refusal() {
            return deny() == null ? "" : new String(deny().refusal(), StandardCharsets.US_ASCII);
        }

        public boolean passedWhole() {
            return ended == null && clientApproved == clientSent && serverApproved == serverSent;
        }
    }

    private SessionTranscript() {
    }

    public static Outcome run(Supplier<GatewaySession> open, List<String> steps, int piece) {
        GatewaySession s = open.get();
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
}
