package io.xdpgate.gateways.tls;

/** Bytes that are not the start of a TLS handshake the gateway can judge; the message names why. */
public final class TlsFormatException extends Exception {
    TlsFormatException(String reason) {
        super(reason, null, false, false);
    }
}
