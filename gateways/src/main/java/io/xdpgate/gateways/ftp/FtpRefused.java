package io.xdpgate.gateways.ftp;

import java.nio.charset.StandardCharsets;

/**
 * What the gateway refuses, with the reply it gives the client in the server's place (RFC 959
 * 4.2: 500 syntax, 501 parameters, 502 not allowed, 504 not for that parameter (FTP bounce, low
 * ports, RFC 2577), 425 no data connection; 421 when the server's side broke the rules); then the
 * connection ends.
 */
final class FtpRefused extends Exception {
    final int code;

    FtpRefused(int code, String text) {
        super(text, null, false, false);
        this.code = code;
    }

    static FtpRefused syntax(String text) {
        return new FtpRefused(500, text);
    }

    static FtpRefused parameters(String text) {
        return new FtpRefused(501, text);
    }

    static FtpRefused notAllowed(String text) {
        return new FtpRefused(502, text);
    }

    static FtpRefused forParameter(String text) {
        return new FtpRefused(504, text);
    }

    static FtpRefused server(String text) {
        return new FtpRefused(421, "invalid reply: " + text);
    }

    byte[] reply() {
        return (code + " " + getMessage() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
