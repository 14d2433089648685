package io.xdpgate.gateways.http;

import io.xdpgate.gateways.text.Printable;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * An incremental HTTP/1.1 request parser over byte buffers, strict per RFC 9112 where leniency
 * lets two parsers disagree about where a message ends (request smuggling) or what it names:
 *
 * <ul>
 *   <li>framing: Content-Length with Transfer-Encoding, a duplicate, malformed or zero-led
 *       Content-Length, more than one Transfer-Encoding field, chunked not last or twice, a
 *       coding not in lower case, codings before chunked unless
 *       {@link HttpSyntax#allowTransferCodings} names them, a body on GET, HEAD, DELETE or OPTIONS
 *       unless {@link HttpSyntax#allowBodyOn} names the method (and on TRACE or CONNECT ever);</li>
 *   <li>syntax ({@link MessageReader}): obs-fold, bare LF or CR, bad chunk sizes and extensions,
 *       field names that mimic a framing field, framing fields in trailers;</li>
 *   <li>routing: no Host in HTTP/1.1, more than one Host in any version, a Host that is not
 *       {@code host[:port]}, and the target rules of {@link RequestTarget}.</li>
 * </ul>
 *
 * Bytes may arrive split anywhere; pipelined requests are parsed one after the other. Any
 * violation is final: the connection is refused. A request line that cannot become valid (a
 * method byte outside the token characters, as in TLS or binary input) is refused at that byte,
 * without waiting for its end.
 */
public final class HttpRequestParser {
    /** What the parser reports, in order, for each request. */
    public interface Listener {
        /** The head is complete; throw to refuse the request (the policy's hook). */
        void head(RequestHead head) throws HttpViolation;

        /** Body bytes (de-chunked), valid during the call only. */
        void body(ByteBuffer bytes);

        void complete();
    }

    private final Listener listener;
    private final HttpSyntax syntax;
    private final MessageReader reader;
    private String[] requestLine;
    private boolean inMethod;

    /** A parser with the default {@link HttpSyntax}. */
    public HttpRequestParser(HttpLimits limits, Listener listener) {
        this(limits, HttpSyntax.DEFAULTS, listener);
    }

    public HttpRequestParser(HttpLimits limits, HttpSyntax syntax, Listener listener) {
        this.listener = listener;
        this.syntax = syntax;
        this.reader = new MessageReader(limits, "request line", "the connection already carried an invalid request",
                new Syntax());
    }

    /** Consumes every byte of {@code in}; throws on the first violation and refuses all input after it. */
    public void feed(ByteBuffer in) throws HttpViolation {
        reader.feed(in);
    }

    /**
     * Bytes consumed so far. Inside a listener call it is the stream offset just past what the call
     * reports: the end of the head in {@code head}, of the body bytes in {@code body}, of the
     * request in {@code complete}.
     */
    public long position() {
        return reader.position();
    }

    private final class Syntax implements MessageReader.Handler {
        @Override
        public void startLineByte(int index, byte b) throws HttpViolation {
            if (index == 0) {
                inMethod = true;
            }
            if (!inMethod) {
                return;
            }
            if (b == ' ') {
                inMethod = false;
            } else if (!Tokens.isTchar(b & 0xff)) {
                throw new HttpViolation("invalid method in the request line: \"" + Printable.shortened(reader.pendingLine()) + "\"");
            }
        }

        @Override
        public boolean startLine(String text) throws HttpViolation {
            if (text.isEmpty()) {
                return false; // RFC 9112 2.2: ignore empty lines before a request
            }
            String[] parts = text.split(" ", -1);
            if (parts.length != 3) {
                throw new HttpViolation("request line must be METHOD SP TARGET SP VERSION: \"" + Printable.shortened(text) + "\"");
            }
            if (!Tokens.isToken(parts[0])) {
                throw new HttpViolation("invalid method \"" + Printable.shortened(parts[0]) + "\"");
            }
            MessageReader.checkVersion(parts[2]);
            RequestTarget.check(parts[0], parts[1], syntax);
            requestLine = parts;
            return true;
        }

        @Override
        public long head(List<HeaderField> fields) throws HttpViolation {
            RequestHead head = new RequestHead(requestLine[0], requestLine[1], requestLine[2], fields);
            long length = framing(head);
            listener.head(head);
            return length;
        }

        @Override
        public void body(ByteBuffer bytes) {
            listener.body(bytes);
        }

        @Override
        public void complete() {
            listener.complete();
        }
    }

    /** Body length from the head: {@link MessageReader#CHUNKED}, else the byte count (RFC 9112 6.3 for requests). */
    private long framing(RequestHead head) throws HttpViolation {
        List<String> te = head.all("Transfer-Encoding");
        List<String> cl = head.all("Content-Length");
        List<String> hosts = head.all("Host");
        if (hosts.size() > 1) {
            throw new HttpViolation("more than one Host header");
        }
        if (hosts.isEmpty() && head.version().equals("HTTP/1.1")) {
            throw new HttpViolation("HTTP/1.1 request without Host");
        }
        if (!hosts.isEmpty() && !RequestTarget.isHostHeader(hosts.get(0))) {
            throw new HttpViolation("invalid Host \"" + Printable.shortened(hosts.get(0)) + "\"");
        }
        if (!te.isEmpty() && !cl.isEmpty()) {
            throw new HttpViolation("both Transfer-Encoding and Content-Length (request smuggling)");
        }
        String method = head.method();
        if (!te.isEmpty()) {
            if (head.version().equals("HTTP/1.0")) {
                throw new HttpViolation("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (te.size() > 1) {
                throw new HttpViolation("more than one Transfer-Encoding header");
            }
            List<String> codings = MessageReader.transferCodings(te);
            checkCodings(te.get(0), codings);
            if (!syntax.bodyAllowed(method)) {
                throw new HttpViolation(bodyRefused(method, "Transfer-Encoding: " + te.get(0)));
            }
            return MessageReader.CHUNKED;
        }
        long length = Math.max(0, MessageReader.contentLength(cl));
        if (length >= 0 && !cl.isEmpty() && cl.get(0).length() > 1 && cl.get(0).startsWith("0")) {
            // some parsers read a leading zero as octal
            throw new HttpViolation("Content-Length with a leading zero \"" + Printable.shortened(cl.get(0)) + "\"");
        }
        if (length > 0 && !syntax.bodyAllowed(method)) {
            throw new HttpViolation(bodyRefused(method, "Content-Length: " + length));
        }
        return length;
    }

    /**
     * A request's codings: chunked last and once (RFC 9112 6.3: else the length cannot be
     * determined), in lower case (a backend that compares case-sensitively would not see
     * chunked), and before it only codings {@link HttpSyntax#allowTransferCodings} names (a
     * backend that takes the field for exactly "chunked" would read the body as the next request).
     */
    private void checkCodings(String value, List<String> codings) throws HttpViolation {
        for (String c : MessageReader.stripOws(value).split(",", -1)) {
            int semi = c.indexOf(';');
            String name = MessageReader.stripOws(semi >= 0 ? c.substring(0, semi) : c);
            if (!name.equals(name.toLowerCase(Locale.ROOT))) {
                throw new HttpViolation("transfer coding \"" + Printable.shortened(name) + "\" is not in lower case");
            }
        }
        if (codings.stream().filter("chunked"::equals).count() > 1) {
            throw new HttpViolation("chunked applied more than once in " + codings);
        }
        if (!codings.get(codings.size() - 1).equals("chunked")) {
            throw new HttpViolation("chunked is not the last transfer coding of the request: " + codings);
        }
        List<String> before = codings.subList(0, codings.size() - 1);
        if (before.isEmpty()) {
            return;
        }
        if (syntax.allowTransferCodings().isEmpty()) {
            throw new HttpViolation("only \"Transfer-Encoding: chunked\" is relayed, got " + codings
                    + " (allowTransferCodings)");
        }
        for (String c : before) {
            if (!syntax.allowTransferCodings().contains(c)) {
                throw new HttpViolation("transfer coding " + c + " is not allowed, got " + codings + " (allowTransferCodings)");
            }
        }
    }

    private static String bodyRefused(String method, String framing) {
        return method + " request with a body (" + Printable.shortened(framing) + ")"
                + (HttpSyntax.BODYLESS_BY_CHOICE.contains(method) ? " (allowBodyOn)" : "");
    }
}
