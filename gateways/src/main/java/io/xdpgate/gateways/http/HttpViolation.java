package io.xdpgate.gateways.http;

/** A message the gateway refuses to relay, and why (for the log and the 400/403 it answers). */
public final class HttpViolation extends Exception {
    private static final long serialVersionUID = 1L;

    public HttpViolation(String reason) {
        super(reason);
    }
}
