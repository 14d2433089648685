package io.xdpgate.gateways.dns;

/** A DNS message no receiver could be trusted to read as the gateway does; the message names why. */
public final class DnsFormatException extends Exception {
    DnsFormatException(String reason) {
        super(reason, null, false, false);
    }
}
