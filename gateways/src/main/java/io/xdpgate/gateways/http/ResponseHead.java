package io.xdpgate.gateways.http;

import java.util.List;

/** A parsed status line and header section. */
public record ResponseHead(String version, int status, String reason, List<HeaderField> headers)
        implements MessageHead {
    public ResponseHead {
        headers = List.copyOf(headers);
    }

    /** A 1xx response: another response follows for the same request (except after 101). */
    public boolean interim() {
        return status >= 100 && status < 200;
    }
}
