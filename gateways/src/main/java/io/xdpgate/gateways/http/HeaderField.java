package io.xdpgate.gateways.http;

/**
 * One field line of a request or response head, or of a chunked trailer: the name as sent, the
 * value without the whitespace around it.
 */
public record HeaderField(String name, String value) {
}
