package io.xdpgate.gateways.http;

/**
 * Bounds on what a message may look like before the gateway refuses it: they cap the memory a
 * client (or server) can make the gateway hold. The defaults follow common servers: nginx reads
 * a request line and each header line into 8 KiB buffers, at most four of them
 * ({@code large_client_header_buffers 4 8k}: 32 KiB of head); Apache and Tomcat take at most
 * 100 header fields ({@code LimitRequestFields}, {@code maxHeaderCount}); Tomcat takes 8 KiB of
 * trailer ({@code maxTrailerSize}).
 *
 * @param maxRequestLine    bytes in a request or status line
 * @param maxHeaderLine     bytes in a header, trailer or chunk-size line
 * @param maxHeaders        header fields per message
 * @param maxHeaderBytes    bytes of header fields per message
 * @param maxChunkExtension bytes of chunk extension ({@code ;name=value}) on one chunk-size line
 * @param maxTrailers       trailer fields after a chunked body
 * @param maxTrailerBytes   bytes of trailer fields after a chunked body
 * @param maxPipelined      requests that may await their response at once (the session's bound;
 *                          the parsers do not use it)
 */
public record HttpLimits(int maxRequestLine, int maxHeaderLine, int maxHeaders, int maxHeaderBytes,
                         int maxChunkExtension, int maxTrailers, int maxTrailerBytes, int maxPipelined) {
    public static final HttpLimits DEFAULTS = new HttpLimits(8192, 8192, 100, 32768, 1024, 16, 8192, 16);

    public HttpLimits {
        if (maxRequestLine <= 0 || maxHeaderLine <= 0 || maxHeaders <= 0 || maxHeaderBytes <= 0 || maxChunkExtension < 0
                || maxTrailers < 0 || maxTrailerBytes < 0 || maxPipelined <= 0) {
            throw new IllegalArgumentException("limits must be positive (chunk extension and trailer limits may be 0)");
        }
    }

    /** The line and head bounds given, the others at their defaults. */
    public HttpLimits(int maxRequestLine, int maxHeaderLine, int maxHeaders, int maxHeaderBytes) {
        this(maxRequestLine, maxHeaderLine, maxHeaders, maxHeaderBytes, 1024, 16, 8192, 16);
    }
}
