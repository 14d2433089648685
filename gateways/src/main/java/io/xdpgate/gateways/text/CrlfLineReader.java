package io.xdpgate.gateways.text;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a text protocol whose every line ends in CRLF (SMTP, RFC 5321 2.3.8; FTP's Telnet
 * lines, RFC 959 4.1), read one at a time from a stream that arrives in pieces. Only the line's
 * own bytes are taken from the buffer, so its caller may read what follows as something else
 * (SMTP's BDAT chunk after its command line).
 *
 * <p>A bare CR or a bare LF is refused, never taken as a line end: a server that ends lines at
 * either would see a command boundary where the gateway sees none, and act on a command the
 * gateway never judged (the root of SMTP smuggling). A line longer than the bound is refused
 * before it is buffered whole.
 */
public final class CrlfLineReader {
    private final int maxLine;
    private byte[] line = new byte[128];
    private int length;
    private boolean sawCr;

    /** @param maxLine the longest line taken, in bytes with its CRLF */
    public CrlfLineReader(int maxLine) {
        if (maxLine < 3) {
            throw new IllegalArgumentException("maxLine " + maxLine + " leaves no room for a line");
        }
        this.maxLine = maxLine;
    }

    /**
     * The next whole line without its CRLF, bytes read as ISO-8859-1 (one char per byte), its
     * bytes consumed from {@code in}; null when {@code in} ran out first, the partial line kept
     * for the next call.
     */
    public String next(ByteBuffer in) throws LineFormatException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (sawCr) {
                if (b != '\n') {
                    throw new LineFormatException("bare CR in a line (only CRLF ends a line)");
                }
                sawCr = false;
                String s = new String(line, 0, length, StandardCharsets.ISO_8859_1);
                length = 0;
                return s;
            }
            if (b == '\r') {
                sawCr = true;
            } else if (b == '\n') {
                throw new LineFormatException("bare LF in a line (only CRLF ends a line)");
            } else if (length + 3 > maxLine) {
                throw new LineFormatException("line longer than " + maxLine + " bytes");
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLine, line.length * 2));
                }
                line[length++] = b;
            }
        }
        return null;
    }

    /**
     * Of the partial line's bytes consumed so far, how many at its end must wait: its CR, whose
     * meaning the next byte decides. A peer acts on a line only at its LF, which the reader's
     * caller judges with the whole line, so the rest of a partial line may go on ahead, as it
     * must: a sender whose line spans more segments than its window stalls until they are
     * acknowledged.
     */
    public int undecided() {
        return sawCr ? 1 : 0;
    }

    /** A line has begun and not ended: bytes of it were consumed. */
    public boolean midLine() {
        return length > 0 || sawCr;
    }
}
