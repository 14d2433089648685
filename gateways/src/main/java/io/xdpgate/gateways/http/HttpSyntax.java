package io.xdpgate.gateways.http;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a request may carry that RFC 9112 allows but that backends read differently, so the
 * gateway refuses it unless told otherwise.
 *
 * @param allowBodyOn          of {@link #BODYLESS_BY_CHOICE}, the methods whose requests may carry a body
 *                             (Content-Length above 0 or any Transfer-Encoding); the others are refused
 *                             with one, and TRACE and CONNECT always are
 * @param allowTransferCodings transfer codings a request may apply before the final {@code chunked}
 *                             (of {@link #TRANSFER_CODINGS}); by default only {@code chunked} alone
 * @param allowUtf8Target      whether the request target may carry raw bytes above 0x7F (then only as
 *                             well-formed UTF-8)
 * @param allowEncodedSlash    whether the path may carry {@code %2F}; it is then judged both as a
 *                             character of its segment and as a {@code /}
 */
public record HttpSyntax(Set<String> allowBodyOn, List<String> allowTransferCodings, boolean allowUtf8Target,
                         boolean allowEncodedSlash) {
    /** Methods whose requests carry no body in practice; {@link #allowBodyOn} may name them. */
    public static final List<String> BODYLESS_BY_CHOICE = List.of("GET", "HEAD", "DELETE", "OPTIONS");
    /** Methods whose requests never carry a body (RFC 9110 9.3.6, 9.3.8). */
    public static final List<String> BODYLESS = List.of("TRACE", "CONNECT");
    /** The registered transfer codings other than chunked (RFC 9112 7, IANA registry). */
    public static final List<String> TRANSFER_CODINGS = List.of("gzip", "deflate", "compress", "x-gzip", "x-compress");

    public static final HttpSyntax DEFAULTS = new HttpSyntax(Set.of(), List.of(), false, false);

    public HttpSyntax {
        allowBodyOn = Set.copyOf(Objects.requireNonNull(allowBodyOn, "allowBodyOn"));
        allowTransferCodings = List.copyOf(Objects.requireNonNull(allowTransferCodings, "allowTransferCodings"));
    }

    /** Whether a request with this method may carry a body. */
    public boolean bodyAllowed(String method) {
        return !BODYLESS.contains(method) && (!BODYLESS_BY_CHOICE.contains(method) || allowBodyOn.contains(method));
    }
}
