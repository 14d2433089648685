package io.xdpgate.gateways.http;

import java.util.List;
import java.util.Optional;

/** A parsed status line and header section. Header names keep their case; lookups ignore it. */
public record ResponseHead(String version, int status, String reason, List<RequestHead.Header> headers) {
    public ResponseHead {
        headers = List.copyOf(headers);
    }

    public Optional<String> header(String name) {
        return all(name).stream().findFirst();
    }

    public List<String> all(String name) {
        return MessageReader.values(headers, name);
    }

    /** A 1xx response: another response follows for the same request (except after 101). */
    public boolean interim() {
        return status >= 100 && status < 200;
    }
}
