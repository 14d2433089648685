package io.xdpgate.gateways.http;

import io.xdpgate.gateways.text.Printable;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * An incremental HTTP/1.1 response parser over byte buffers: the response side of the gateway's
 * framing check, strict per RFC 9112 where leniency lets a client and the gateway disagree about
 * where a response ends. It shares the request parser's line, field and chunked syntax (bare CR
 * or LF, obs-fold, bad chunk sizes and extensions, field names that mimic a framing field,
 * framing fields in trailers and oversized heads or trailers are refused) and adds the response
 * rules:
 *
 * <ul>
 *   <li>the status line is {@code HTTP/1.1} or {@code HTTP/1.0}, SP, a three-digit code from 100
 *       to 599, then SP and a reason phrase that may be empty (a missing final SP is accepted);</li>
 *   <li>Content-Length with Transfer-Encoding, a duplicate or malformed Content-Length, chunked
 *       applied twice and Transfer-Encoding in an HTTP/1.0 response are refused;</li>
 *   <li>the body (RFC 9112 6.3): none after a HEAD request or for 1xx, 204 and 304 (which must not
 *       announce one: 1xx and 204 refuse Transfer-Encoding and a non-zero Content-Length);
 *       chunked when chunked is the last transfer coding; until the connection closes when
 *       another coding is last, or when there is neither Content-Length nor Transfer-Encoding;
 *       else Content-Length bytes;</li>
 *   <li>a 1xx response other than 101 is followed by the final response to the same request;</li>
 *   <li>101 Switching Protocols, or a 2xx answer to CONNECT, ends HTTP on the connection: the
 *       listener's {@code tunnel} is called and every later byte is consumed unread.</li>
 * </ul>
 *
 * <p>A response's framing depends on its request's method, so the parser is told each request's
 * method, in order, with {@link #expect} (pipelining); a response with no request outstanding
 * is a violation. Any violation is final.
 */
public final class HttpResponseParser {
    /** What the parser reports, in order, for each response. */
    public interface Listener {
        /** A head is complete, interim (1xx) heads included; throw to refuse the response. */
        void head(ResponseHead head) throws HttpViolation;

        /** Body bytes (de-chunked), valid during the call only. */
        void body(ByteBuffer bytes);

        /** The response ended (after an interim response too). */
        void complete();

        /**
         * Instead of {@code head}: a 101 or a 2xx answer to CONNECT; what follows is not HTTP.
         * Throw to refuse the switch.
         */
        void tunnel(ResponseHead head) throws HttpViolation;
    }

    private static final String HTTP = "HTTP/";

    private final Listener listener;
    private final MessageReader reader;
    private final Queue<String> methods = new ArrayDeque<>();
    private String version;
    private int status;
    private String reason;

    public HttpResponseParser(HttpLimits limits, Listener listener) {
        this.listener = listener;
        this.reader = new MessageReader(limits, "status line", "the connection already carried an invalid response",
                new Syntax());
    }

    /** A request with this method was sent: the next response not yet expected answers it. */
    public void expect(String method) {
        methods.add(method);
    }

    /** Requests sent whose final response has not begun. */
    public int outstanding() {
        return methods.size();
    }

    /** Consumes every byte of {@code in}; throws on the first violation and refuses all input after it. */
    public void feed(ByteBuffer in) throws HttpViolation {
        reader.feed(in);
    }

    /**
     * The server finished sending: completes a body that runs until the close; a response cut
     * short is a violation.
     */
    public void endOfStream() throws HttpViolation {
        reader.end("a response");
    }

    /**
     * Bytes consumed so far. Inside a listener call it is the stream offset just past what the call
     * reports: the end of the head in {@code head} and {@code tunnel}, of the body bytes in
     * {@code body}, of the response in {@code complete}.
     */
    public long position() {
        return reader.position();
    }

    private final class Syntax implements MessageReader.Handler {
        @Override
        public void startLineByte(int index, byte b) throws HttpViolation {
            if (index == 0 && methods.isEmpty()) {
                throw new HttpViolation("response without an outstanding request");
            }
            if (index < HTTP.length() && b != HTTP.charAt(index)) {
                throw new HttpViolation("not an HTTP status line: \"" + Printable.shortened(reader.pendingLine()) + "\"");
            }
        }

        @Override
        public boolean startLine(String text) throws HttpViolation {
            if (methods.isEmpty()) {
                throw new HttpViolation("response without an outstanding request");
            }
            int sp = text.indexOf(' ');
            if (sp < 0) {
                throw new HttpViolation("status line must be VERSION SP CODE SP REASON: \"" + Printable.shortened(text) + "\"");
            }
            String v = text.substring(0, sp);
            MessageReader.checkVersion(v);
            String rest = text.substring(sp + 1);
            int sp2 = rest.indexOf(' ');
            String code = sp2 < 0 ? rest : rest.substring(0, sp2);
            String phrase = sp2 < 0 ? "" : rest.substring(sp2 + 1);
            if (code.length() != 3 || !code.chars().allMatch(c -> c >= '0' && c <= '9')
                    || code.charAt(0) < '1' || code.charAt(0) > '5') {
                throw new HttpViolation("invalid status code \"" + Printable.shortened(code) + "\"");
            }
            if (Tokens.hasControl(phrase)) {
                throw new HttpViolation("control character in the reason phrase");
            }
            version = v;
            status = Integer.parseInt(code);
            reason = phrase;
            return true;
        }

        @Override
        public long head(List<HeaderField> fields) throws HttpViolation {
            ResponseHead head = new ResponseHead(version, status, reason, fields);
            String method = methods.peek();
            long framing = framing(head, method);
            if (framing == MessageReader.TUNNEL) {
                methods.remove();
                listener.tunnel(head);
                return framing;
            }
            if (!head.interim()) {
                methods.remove();
            }
            listener.head(head);
            return framing;
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

    /** RFC 9112 6.3 for responses. */
    private static long framing(ResponseHead head, String method) throws HttpViolation {
        List<String> te = head.all("Transfer-Encoding");
        List<String> cl = head.all("Content-Length");
        int status = head.status();
        if (!te.isEmpty() && !cl.isEmpty()) {
            throw new HttpViolation("both Transfer-Encoding and Content-Length (response splitting)");
        }
        long length = MessageReader.contentLength(cl);
        List<String> codings = MessageReader.transferCodings(te);
        if (!te.isEmpty() && head.version().equals("HTTP/1.0")) {
            throw new HttpViolation("Transfer-Encoding in an HTTP/1.0 response");
        }
        if (codings.stream().filter("chunked"::equals).count() > 1) {
            throw new HttpViolation("chunked applied more than once in " + codings);
        }
        if (head.interim() || status == 204) {
            if (!te.isEmpty()) {
                throw new HttpViolation("Transfer-Encoding in a " + status + " response");
            }
            if (length > 0) {
                throw new HttpViolation("Content-Length " + length + " in a " + status + " response");
            }
        }
        if (status == 101 || (method.equals("CONNECT") && status / 100 == 2)) {
            return MessageReader.TUNNEL;
        }
        if (head.interim() || status == 204 || status == 304 || method.equals("HEAD")) {
            return 0;
        }
        if (!codings.isEmpty()) {
            return codings.get(codings.size() - 1).equals("chunked") ? MessageReader.CHUNKED : MessageReader.UNTIL_CLOSE;
        }
        return length >= 0 ? length : MessageReader.UNTIL_CLOSE;
    }
}
