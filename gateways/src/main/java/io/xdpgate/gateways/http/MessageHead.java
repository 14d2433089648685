package io.xdpgate.gateways.http;

import java.util.List;
import java.util.Optional;

/**
 * A parsed start line and header section, request or response. Field names keep their case;
 * lookups ignore it (RFC 9110 5.1).
 */
public sealed interface MessageHead permits RequestHead, ResponseHead {
    List<HeaderField> headers();

    /** The first value of the field {@code name}. */
    default Optional<String> header(String name) {
        return all(name).stream().findFirst();
    }

    /** The values of every field named {@code name}, in order. */
    default List<String> all(String name) {
        return headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).toList();
    }
}
