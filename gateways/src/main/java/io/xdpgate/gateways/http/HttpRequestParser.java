package io.xdpgate.gateways.http;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * An incremental HTTP/1.1 request parser over byte buffers, strict per RFC 9112 where leniency
 * lets two parsers disagree about where a message ends (request smuggling): Content-Length with
 * Transfer-Encoding, duplicate or malformed Content-Length, obs-fold, bare LF or CR, bad chunk
 * sizes, and codings other than chunked are refused. Bytes may arrive split anywhere; pipelined
 * requests are parsed one after the other. Any violation is final: the connection is refused.
 * A request line that cannot become valid (a method byte outside the token characters, as in
 * TLS or binary input) is refused at that byte, without waiting for its end.
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
    private final MessageReader reader;
    private String[] requestLine;
    private boolean inMethod;

    public HttpRequestParser(HttpLimits limits, Listener listener) {
        this.listener = listener;
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
                throw new HttpViolation("invalid method in the request line: \"" + Tokens.printable(reader.pendingLine()) + "\"");
            }
        }

        @Override
        public boolean startLine(String text) throws HttpViolation {
            if (text.isEmpty()) {
                return false; // RFC 9112 2.2: ignore empty lines before a request
            }
            String[] parts = text.split(" ", -1);
            if (parts.length != 3) {
                throw new HttpViolation("request line must be METHOD SP TARGET SP VERSION: \"" + Tokens.printable(text) + "\"");
            }
            if (!Tokens.isToken(parts[0])) {
                throw new HttpViolation("invalid method \"" + Tokens.printable(parts[0]) + "\"");
            }
            String target = parts[1];
            if (target.isEmpty() || !Tokens.isVisibleAscii(target)) {
                throw new HttpViolation("invalid request target \"" + Tokens.printable(target) + "\"");
            }
            MessageReader.checkVersion(parts[2]);
            boolean form = parts[0].equals("CONNECT") ? RequestHead.isAuthorityForm(target)
                    : target.startsWith("/") || RequestHead.isAbsoluteForm(target)
                    || (parts[0].equals("OPTIONS") && target.equals("*"));
            if (!form) {
                throw new HttpViolation("invalid request target \"" + Tokens.printable(target)
                        + "\": /path, an absolute URI, host:port for CONNECT or * for OPTIONS");
            }
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
    private static long framing(RequestHead head) throws HttpViolation {
        List<String> te = head.all("Transfer-Encoding");
        List<String> cl = head.all("Content-Length");
        if (head.version().equals("HTTP/1.1") && head.all("Host").size() != 1) {
            throw new HttpViolation(head.all("Host").isEmpty() ? "HTTP/1.1 request without Host"
                    : "more than one Host header");
        }
        if (!te.isEmpty() && !cl.isEmpty()) {
            throw new HttpViolation("both Transfer-Encoding and Content-Length (request smuggling)");
        }
        if (!te.isEmpty()) {
            if (head.version().equals("HTTP/1.0")) {
                throw new HttpViolation("Transfer-Encoding in an HTTP/1.0 request");
            }
            List<String> codings = MessageReader.transferCodings(te);
            if (!codings.equals(List.of("chunked"))) {
                throw new HttpViolation("only \"Transfer-Encoding: chunked\" is relayed, got " + codings);
            }
            return MessageReader.CHUNKED;
        }
        return Math.max(0, MessageReader.contentLength(cl));
    }
}
