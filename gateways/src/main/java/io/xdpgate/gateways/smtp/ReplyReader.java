package io.xdpgate.gateways.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles a server's reply lines (RFC 5321 4.2.1) into replies: {@code NNN-text} continues a
 * reply, {@code NNN text} or a bare {@code NNN} ends it; every line of a reply carries the same
 * code, whose first digit is 2 to 5 and second 0 to 5. Anything else is refused, so the gateway
 * never counts replies differently from the client.
 */
final class ReplyReader {
    /** Lines in one reply: an EHLO reply has one per extension, a couple of dozen at most. */
    static final int MAX_LINES = 100;

    private final List<String> texts = new ArrayList<>();
    private int code = -1;

    /** Takes one line (without CRLF); the reply when it was the last line, else null. */
    SmtpReply line(String line) throws SmtpFormatException {
        if (line.length() < 3 || !digit(line.charAt(0), '2', '5') || !digit(line.charAt(1), '0', '5')
                || !digit(line.charAt(2), '0', '9')) {
            throw new SmtpFormatException("reply line does not start with a reply code");
        }
        int c = Integer.parseInt(line.substring(0, 3));
        if (code >= 0 && c != code) {
            throw new SmtpFormatException("reply code " + c + " inside a multiline reply " + code);
        }
        boolean last = line.length() == 3 || line.charAt(3) == ' ';
        if (!last && line.charAt(3) != '-') {
            throw new SmtpFormatException("reply code not followed by a space or a hyphen");
        }
        if (texts.size() == MAX_LINES) {
            throw new SmtpFormatException("reply longer than " + MAX_LINES + " lines");
        }
        code = c;
        texts.add(line.length() > 4 ? line.substring(4) : "");
        if (!last) {
            return null;
        }
        SmtpReply reply = new SmtpReply(code, texts);
        texts.clear();
        code = -1;
        return reply;
    }

    private static boolean digit(char c, char low, char high) {
        return c >= low && c <= high;
    }
}
