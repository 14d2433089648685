package io.xdpgate.gateways.smtp;

import java.util.List;

/**
 * A server's whole reply (RFC 5321 4.2): its code and the text of each line after the code.
 * The gateway reads the code to follow the dialog and, of an EHLO reply, the extension keywords.
 */
record SmtpReply(int code, List<String> texts) {
    SmtpReply {
        texts = List.copyOf(texts);
    }

    boolean positive() {
        return code >= 200 && code < 300;
    }
}
