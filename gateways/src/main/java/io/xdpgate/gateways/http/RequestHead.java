package io.xdpgate.gateways.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A parsed request line and header section. Header names keep their case; lookups ignore it. */
public record RequestHead(String method, String target, String version, List<Header> headers) {
    public record Header(String name, String value) {
    }

    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    public List<String> all(String name) {
        return MessageReader.values(headers, name);
    }

    /** The path of the target, without query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The Host header's name, lower case, without port. */
    public Optional<String> host() {
        return header("Host").map(h -> {
            String v = h.strip().toLowerCase(Locale.ROOT);
            int colon = v.lastIndexOf(':');
            return colon > 0 && v.indexOf(']') < colon ? v.substring(0, colon) : v;
        });
    }
}
