package io.xdpgate.gateways.smtp;

import java.nio.ByteBuffer;

/**
 * The text of one message as the client sends it, checked byte by byte: after DATA's 354 until
 * the line holding a single dot (RFC 5321 4.1.1.4), or in BDAT chunks (RFC 3030) whose lengths
 * frame it.
 *
 * <p>Every line must end in CRLF: a bare CR or bare LF is refused, because servers disagree on
 * whether {@code <LF>.<LF>} or {@code <CR>.<CR>} end the text; a client that makes the gateway
 * see text where the server sees the end could smuggle commands (or a second message) the
 * gateway never judged. With that refused, only {@code <CRLF>.<CRLF>} ends DATA, for the gateway
 * as for any server. Bytes are counted against the size limit as they come (the terminating
 * line not counted), so an oversized message is refused before its end reaches the server.
 */
final class MessageText {
    private enum State { LINE_START, IN_LINE, CR, DOT, DOT_CR, ENDED }

    private final boolean dotEnds;
    private final boolean binary;
    private final long maxSize;
    private State state = State.LINE_START;
    private long size;

    private MessageText(boolean dotEnds, boolean binary, long maxSize) {
        this.dotEnds = dotEnds;
        this.binary = binary;
        this.maxSize = maxSize;
    }

    /** Text after DATA's 354: lines until {@code .CRLF}. */
    static MessageText data(long maxSize) {
        return new MessageText(true, false, maxSize);
    }

    /**
     * Text in BDAT chunks: lines in CRLF, no terminator; with {@code binary} (the MAIL command
     * declared BODY=BINARYMIME, RFC 3030 3) any octets.
     */
    static MessageText chunks(boolean binary, long maxSize) {
        return new MessageText(false, binary, maxSize);
    }

    /**
     * Reads from {@code in} until it is empty, at most {@code limit} bytes, or (DATA) just past
     * the terminating line; true when the terminating line was read.
     */
    boolean scan(ByteBuffer in, long limit) throws Refused {
        long taken = 0;
        while (in.hasRemaining() && taken < limit) {
            byte b = in.get();
            taken++;
            if (binary) {
                count(1);
                continue;
            }
            switch (state) {
                case DOT:
                    if (b == '\r') {
                        state = State.DOT_CR;
                        continue;
                    }
                    count(1); // the dot was text after all (dot-stuffing, RFC 5321 4.5.2)
                    // fall through: the byte after it is ordinary
                case LINE_START:
                case IN_LINE:
                    if (b == '.' && state == State.LINE_START && dotEnds) {
                        state = State.DOT;
                        continue;
                    }
                    if (b == '\n') {
                        throw new Refused(bareLf());
                    }
                    state = b == '\r' ? State.CR : State.IN_LINE;
                    count(1);
                    break;
                case CR:
                    if (b != '\n') {
                        throw new Refused(bareCr());
                    }
                    state = State.LINE_START;
                    count(1);
                    break;
                case DOT_CR:
                    if (b != '\n') {
                        throw new Refused(bareCr());
                    }
                    state = State.ENDED;
                    return true;
                default:
                    throw new IllegalStateException("message text read after its end");
            }
        }
        return false;
    }

    /** The last chunk ended: a CR left waiting for its LF is bare. */
    void finish() throws Refused {
        if (!binary && state == State.CR) {
            throw new Refused(bareCr());
        }
        state = State.ENDED;
    }

    long size() {
        return size;
    }

    /**
     * Bytes at the end of what was read whose meaning the next byte decides: a CR (line end or
     * bare), a dot at a line's start and its CR (the terminator or text). Held back, so a server
     * never gets a bare CR or a terminator the gateway has not seen whole.
     */
    int undecided() {
        switch (state) {
            case CR:
            case DOT:
                return 1;
            case DOT_CR:
                return 2;
            default:
                return 0;
        }
    }

    private void count(long n) throws Refused {
        size += n;
        if (size > maxSize) {
            throw new Refused(SmtpRefusal.tooBig("message larger than " + maxSize + " bytes (maxMessageSize)"));
        }
    }

    private static SmtpRefusal bareLf() {
        return SmtpRefusal.messageText("bare LF in the message text (only CRLF ends a line)");
    }

    private static SmtpRefusal bareCr() {
        return SmtpRefusal.messageText("bare CR in the message text (only CRLF ends a line)");
    }
}
