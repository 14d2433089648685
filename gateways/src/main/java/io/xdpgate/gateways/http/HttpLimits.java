package io.xdpgate.gateways.http;

/**
 * Bounds on what a request may look like before the gateway refuses it: they cap the memory a
 * client can make the gateway hold.
 */
public record HttpLimits(int maxRequestLine, int maxHeaderLine, int maxHeaders, int maxHeaderBytes) {
    public static final HttpLimits DEFAULTS = new HttpLimits(8192, 8192, 100, 65536);
}
