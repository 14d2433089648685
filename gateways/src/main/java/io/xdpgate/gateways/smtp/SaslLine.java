package io.xdpgate.gateways.smtp;

import java.util.regex.Pattern;

/**
 * A client's answer to a 334 challenge, or AUTH's initial response (RFC 4954 4): base64, "=" for
 * an empty initial response, or "*" to cancel. Nothing else is a SASL line, so a command cannot
 * pass as one.
 */
final class SaslLine {
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    private SaslLine() {
    }

    static boolean valid(String line) {
        if (line.equals("*") || line.equals("=")) {
            return true;
        }
        return !line.isEmpty() && line.length() % 4 == 0 && BASE64.matcher(line).matches();
    }
}
