package io.xdpgate.gateways.smtp;

/** A server reply the gateway cannot follow; its message says why. */
final class SmtpFormatException extends Exception {
    SmtpFormatException(String message) {
        super(message, null, false, false);
    }
}
