package io.xdpgate.gateways.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An incremental HTTP/1.1 request parser over byte buffers, strict per RFC 9112 where leniency
 * lets two parsers disagree about where a message ends (request smuggling): Content-Length with
 * Transfer-Encoding, duplicate or malformed Content-Length, obs-fold, bare LF or CR, bad chunk
 * sizes, and codings other than chunked are refused. Bytes may arrive split anywhere; pipelined
 * requests are parsed one after the other. Any violation is final: the connection is refused.
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

    private enum State { REQUEST_LINE, HEADER_LINE, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER_LINE, FAILED }

    private static final long MAX_CHUNK = 1L << 40;

    private final HttpLimits limits;
    private final Listener listener;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean sawCr;
    private State state = State.REQUEST_LINE;
    private String[] requestLine;
    private final List<RequestHead.Header> headers = new ArrayList<>();
    private int headerBytes;
    private long remaining;

    public HttpRequestParser(HttpLimits limits, Listener listener) {
        this.limits = limits;
        this.listener = listener;
    }

    /** Consumes every byte of {@code in}; throws on the first violation and refuses all input after it. */
    public void feed(ByteBuffer in) throws HttpViolation {
        if (state == State.FAILED) {
            throw new HttpViolation("the connection already carried an invalid request");
        }
        try {
            while (in.hasRemaining()) {
                switch (state) {
                    case BODY, CHUNK_DATA -> body(in);
                    default -> lineByte(in.get());
                }
            }
        } catch (HttpViolation e) {
            state = State.FAILED;
            throw e;
        }
    }

    private void body(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        ByteBuffer slice = in.slice();
        slice.limit(n);
        in.position(in.position() + n);
        remaining -= n;
        listener.body(slice.asReadOnlyBuffer());
        if (remaining == 0) {
            if (state == State.BODY) {
                finish();
            } else {
                state = State.CHUNK_END;
            }
        }
    }

    private void lineByte(byte b) throws HttpViolation {
        if (sawCr) {
            if (b != '\n') {
                throw new HttpViolation("bare CR in the message head");
            }
            sawCr = false;
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            onLine(text);
            return;
        }
        if (b == '\r') {
            sawCr = true;
            return;
        }
        if (b == '\n') {
            throw new HttpViolation("bare LF: lines end in CRLF");
        }
        int max = state == State.REQUEST_LINE ? limits.maxRequestLine() : limits.maxHeaderLine();
        if (line.size() >= max) {
            throw new HttpViolation((state == State.REQUEST_LINE ? "request line" : "header line")
                    + " longer than " + max + " bytes");
        }
        line.write(b);
    }

    private void onLine(String text) throws HttpViolation {
        switch (state) {
            case REQUEST_LINE -> requestLine(text);
            case HEADER_LINE -> headerLine(text);
            case CHUNK_SIZE -> chunkSize(text);
            case CHUNK_END -> {
                if (!text.isEmpty()) {
                    throw new HttpViolation("chunk data longer than its size");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILER_LINE -> {
                if (text.isEmpty()) {
                    finish();
                } else {
                    header(text);
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void requestLine(String text) throws HttpViolation {
        if (text.isEmpty()) {
            return; // RFC 9112 2.2: ignore empty lines before a request
        }
        String[] parts = text.split(" ", -1);
        if (parts.length != 3) {
            throw new HttpViolation("request line must be METHOD SP TARGET SP VERSION: \"" + printable(text) + "\"");
        }
        if (!Tokens.isToken(parts[0])) {
            throw new HttpViolation("invalid method \"" + printable(parts[0]) + "\"");
        }
        if (parts[1].isEmpty() || parts[1].chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new HttpViolation("invalid request target \"" + printable(parts[1]) + "\"");
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new HttpViolation("unsupported version \"" + printable(parts[2]) + "\"");
        }
        requestLine = parts;
        headers.clear();
        headerBytes = 0;
        state = State.HEADER_LINE;
    }

    private void headerLine(String text) throws HttpViolation {
        if (!text.isEmpty()) {
            header(text);
            return;
        }
        RequestHead head = new RequestHead(requestLine[0], requestLine[1], requestLine[2], List.copyOf(headers));
        long length = framing(head);
        listener.head(head);
        if (length == -1) {
            state = State.CHUNK_SIZE;
        } else if (length == 0) {
            finish();
        } else {
            remaining = length;
            state = State.BODY;
        }
    }

    private void header(String text) throws HttpViolation {
        if (text.charAt(0) == ' ' || text.charAt(0) == '\t') {
            throw new HttpViolation("obsolete line folding (obs-fold)");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || !Tokens.isToken(text.substring(0, colon))) {
            throw new HttpViolation("invalid header field name in \"" + printable(text) + "\"");
        }
        String value = text.substring(colon + 1).strip();
        if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            throw new HttpViolation("control character in header " + text.substring(0, colon));
        }
        headerBytes += text.length();
        if (headers.size() >= limits.maxHeaders()) {
            throw new HttpViolation("more than " + limits.maxHeaders() + " header fields");
        }
        if (headerBytes > limits.maxHeaderBytes()) {
            throw new HttpViolation("header section larger than " + limits.maxHeaderBytes() + " bytes");
        }
        headers.add(new RequestHead.Header(text.substring(0, colon), value));
    }

    /** Body length from the head: -1 chunked, else the byte count (RFC 9112 6.3 for requests). */
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
            List<String> codings = new ArrayList<>();
            for (String v : te) {
                for (String c : v.split(",", -1)) {
                    codings.add(c.strip().toLowerCase(Locale.ROOT));
                }
            }
            if (!codings.equals(List.of("chunked"))) {
                throw new HttpViolation("only \"Transfer-Encoding: chunked\" is relayed, got " + codings);
            }
            return -1;
        }
        if (cl.size() > 1 || (cl.size() == 1 && cl.get(0).contains(","))) {
            throw new HttpViolation("more than one Content-Length");
        }
        if (cl.isEmpty()) {
            return 0;
        }
        String v = cl.get(0);
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpViolation("invalid Content-Length \"" + printable(v) + "\"");
        }
        return Long.parseLong(v);
    }

    private void chunkSize(String text) throws HttpViolation {
        int semi = text.indexOf(';');
        String hex = semi >= 0 ? text.substring(0, semi) : text;
        if (hex.isEmpty() || hex.length() > 10 || !hex.chars().allMatch(Tokens::isHexDigit)) {
            throw new HttpViolation("invalid chunk size \"" + printable(text) + "\"");
        }
        long size = Long.parseLong(hex, 16);
        if (size > MAX_CHUNK) {
            throw new HttpViolation("chunk of " + size + " bytes");
        }
        if (size == 0) {
            state = State.TRAILER_LINE;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    private void finish() {
        listener.complete();
        state = State.REQUEST_LINE;
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        StringBuilder sb = new StringBuilder();
        for (char c : cut.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
