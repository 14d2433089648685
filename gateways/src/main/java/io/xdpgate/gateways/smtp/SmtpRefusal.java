package io.xdpgate.gateways.smtp;

import java.nio.charset.StandardCharsets;

/**
 * The reply the gateway gives in the server's place to what it refuses (RFC 5321 4.2 codes,
 * RFC 3463 enhanced status codes), then the connection ends.
 *
 * @param code     500 syntax, 501 parameters, 502 not allowed, 503 sequence, 452 too many
 *                 recipients (RFC 5321 4.5.3.1.10), 552 too big, 554 message text refused
 * @param enhanced e.g. {@code 5.5.1}
 * @param text     why, also the verdict's reason
 */
record SmtpRefusal(int code, String enhanced, String text) {
    static SmtpRefusal syntax(String text) {
        return new SmtpRefusal(500, "5.5.2", text);
    }

    static SmtpRefusal parameters(String text) {
        return new SmtpRefusal(501, "5.5.4", text);
    }

    static SmtpRefusal notAllowed(String text) {
        return new SmtpRefusal(502, "5.5.1", text);
    }

    static SmtpRefusal sequence(String text) {
        return new SmtpRefusal(503, "5.5.1", text);
    }

    static SmtpRefusal tooBig(String text) {
        return new SmtpRefusal(552, "5.3.4", text);
    }

    static SmtpRefusal messageText(String text) {
        return new SmtpRefusal(554, "5.6.0", text);
    }

    /** The reply line, CRLF-terminated; the text is ASCII already (built from escaped input). */
    byte[] bytes() {
        return (code + " " + enhanced + " " + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
