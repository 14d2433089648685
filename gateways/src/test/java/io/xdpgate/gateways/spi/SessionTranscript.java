package io.xdpgate.gateways.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.ArrayList;
import java.util.function.BiConsumer;
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

    /** Marks, in a test's steps, the first byte that must never reach the other side. */
    public static final char MARK = '\u00a6';

    /** Steps with the {@link #MARK} taken out, and where it was. */
    public record Marked(List<String> steps, long clientOffset, boolean onServerSide) {
    }

    /**
     * Takes the mark out of {@code marked}: {@code clientOffset} is the client stream offset it
     * stood at (Long.MAX_VALUE when it stood in a server step, or nowhere).
     */
    public static Marked unmark(List<String> marked) {
        List<String> steps = new ArrayList<>();
        long offset = 0;
        long at = Long.MAX_VALUE;
        boolean server = false;
        for (String s : marked) {
            int m = s.indexOf(MARK);
            if (m >= 0) {
                if (s.startsWith("C:")) {
                    at = offset + m - 2;
                } else {
                    server = true;
                }
                s = s.substring(0, m) + s.substring(m + 1);
            }
            if (s.startsWith("C:")) {
                offset += s.length() - 2;
            }
            steps.add(s);
        }
        return new Marked(steps, at, server);
    }

    /** Runs {@code steps} with a fresh session in pieces of every size, the longest step's first; checks each outcome. */
    public static void everyCut(Supplier<GatewaySession> open, List<String> steps, BiConsumer<Integer, Outcome> check) {
        int longest = steps.stream().mapToInt(String::length).max().orElse(1);
        for (int piece = longest; piece >= 1; piece--) {
            check.accept(piece, run(open, steps, piece));
        }
    }

    /**
     * Dialog records as the fuzz harnesses read them: one byte (high bit: from the server; low
     * 7 bits: length), then that many bytes; the last record cut short where the input ends.
     */
    public record FuzzRecord(boolean fromServer, byte[] bytes) {
        public static List<FuzzRecord> read(byte[] input) {
            List<FuzzRecord> out = new ArrayList<>();
            int at = 0;
            while (at < input.length) {
                int length = Math.min(input[at] & 0x7f, input.length - at - 1);
                out.add(new FuzzRecord((input[at] & 0x80) != 0, java.util.Arrays.copyOfRange(input, at + 1, at + 1 + length)));
                at += 1 + length;
            }
            return out;
        }
    }
}
