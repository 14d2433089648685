package io.xdpgate.gateways.http;

import io.xdpgate.gateways.text.Printable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP/1.1 message syntax the request and response parsers share (RFC 9112): lines ending
 * in CRLF (bare CR and bare LF refused), field lines (obs-fold, bad names and control characters
 * refused; count and size bounded by {@link HttpLimits}; a name a lenient reader could take for
 * a framing or routing field, such as {@code Transfer_Encoding}, refused), and bodies framed by
 * a length, by the chunked coding (chunk extensions checked and bounded; trailers bounded, and
 * without framing, routing or control fields) or by the end of the connection. A parser's {@link Handler} says
 * what a start line means and how the body after each head is framed.
 *
 * <p>Any violation is final: the reader refuses all input after it.
 */
final class MessageReader {
    /** {@link Handler#head} answers: the body is chunked. */
    static final long CHUNKED = -1;
    /** {@link Handler#head} answers: the body runs until the connection closes. */
    static final long UNTIL_CLOSE = -2;
    /** {@link Handler#head} answers: the rest of the connection is not HTTP; it is consumed unread. */
    static final long TUNNEL = -3;

    interface Handler {
        /** Each byte of a start line as it arrives, {@code index} from 0: refuse early what can never become valid. */
        void startLineByte(int index, byte b) throws HttpViolation;

        /** A complete start line; false to ignore it (a request parser skips empty lines). */
        boolean startLine(String line) throws HttpViolation;

        /** The field section ended: a body length, {@link #CHUNKED}, {@link #UNTIL_CLOSE} or {@link #TUNNEL}. */
        long head(List<HeaderField> fields) throws HttpViolation;

        /** Body bytes (de-chunked), valid during the call only. */
        void body(ByteBuffer bytes);

        /** The message ended. */
        void complete();
    }

    private enum State {
        START_LINE, FIELD_LINE, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER_LINE, UNTIL_CLOSE, TUNNEL, ENDED, FAILED
    }

    private static final long MAX_CHUNK = 1L << 40;

    private final HttpLimits limits;
    private final String startLineName;
    private final String afterFailure;
    private final Handler handler;
    private byte[] line = new byte[128];
    private int length;
    private boolean sawCr;
    private State state = State.START_LINE;
    private final List<HeaderField> fields = new ArrayList<>();
    private int fieldBytes;
    private int trailers;
    private int trailerBytes;
    /** On a chunk-size line: where the chunk extension starts (the first byte after the size), else -1. */
    private int extensionAt = -1;
    private long remaining;
    private long position;

    /**
     * @param startLineName "request line" or "status line", for messages; its limit is {@link HttpLimits#maxRequestLine}
     * @param afterFailure  the message for input fed after a violation
     */
    MessageReader(HttpLimits limits, String startLineName, String afterFailure, Handler handler) {
        this.limits = limits;
        this.startLineName = startLineName;
        this.afterFailure = afterFailure;
        this.handler = handler;
    }

    /** Bytes consumed so far; inside a handler call, the offset just past what that call reports. */
    long position() {
        return position;
    }

    /** The start line read so far (for messages). */
    String pendingLine() {
        return new String(line, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Consumes every byte of {@code in}; throws on the first violation. */
    void feed(ByteBuffer in) throws HttpViolation {
        if (state == State.FAILED) {
            throw new HttpViolation(afterFailure);
        }
        if (state == State.ENDED && in.hasRemaining()) {
            fail(new HttpViolation("bytes after the end of the stream"));
        }
        try {
            while (in.hasRemaining()) {
                switch (state) {
                    case BODY, CHUNK_DATA -> body(in);
                    case UNTIL_CLOSE -> untilClose(in);
                    case TUNNEL -> {
                        position += in.remaining();
                        in.position(in.limit());
                    }
                    default -> lineByte(in.get());
                }
            }
        } catch (HttpViolation e) {
            fail(e);
        }
    }

    /** The peer finished sending: ends a body that runs until the close; a message cut short is a violation. */
    void end(String what) throws HttpViolation {
        switch (state) {
            case FAILED -> throw new HttpViolation(afterFailure);
            case UNTIL_CLOSE -> {
                state = State.ENDED;
                handler.complete();
            }
            case START_LINE -> {
                if (length > 0 || sawCr) {
                    fail(new HttpViolation("connection closed inside a " + startLineName));
                }
                state = State.ENDED;
            }
            case TUNNEL, ENDED -> state = State.ENDED;
            default -> fail(new HttpViolation("connection closed inside " + what));
        }
    }

    private void fail(HttpViolation e) throws HttpViolation {
        state = State.FAILED;
        throw e;
    }

    private void body(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        remaining -= n;
        deliver(in, n);
        if (remaining == 0) {
            if (state == State.BODY) {
                finish();
            } else {
                state = State.CHUNK_END;
            }
        }
    }

    private void untilClose(ByteBuffer in) {
        deliver(in, in.remaining());
    }

    private void deliver(ByteBuffer in, int n) {
        ByteBuffer slice = in.slice();
        slice.limit(n);
        in.position(in.position() + n);
        position += n;
        handler.body(slice.asReadOnlyBuffer());
    }

    private void lineByte(byte b) throws HttpViolation {
        position++;
        if (sawCr) {
            if (b != '\n') {
                throw new HttpViolation("bare CR in the message head");
            }
            sawCr = false;
            String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
            length = 0;
            extensionAt = -1;
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
        boolean start = state == State.START_LINE;
        int max = start ? limits.maxRequestLine() : limits.maxHeaderLine();
        if (length >= max) {
            String what = switch (state) {
                case START_LINE -> startLineName;
                case FIELD_LINE -> "header line";
                case TRAILER_LINE -> "trailer line";
                default -> "chunk-size line";
            };
            throw new HttpViolation(what + " longer than " + max + " bytes");
        }
        if (state == State.CHUNK_SIZE) {
            if (extensionAt < 0 && !Tokens.isHexDigit(b)) {
                extensionAt = length;
            }
            if (extensionAt >= 0 && length - extensionAt >= limits.maxChunkExtension()) {
                throw new HttpViolation("chunk extension longer than " + limits.maxChunkExtension() + " bytes");
            }
        }
        if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(max, 2 * length));
        }
        line[length++] = b;
        if (start) {
            handler.startLineByte(length - 1, b);
        }
    }

    private void onLine(String text) throws HttpViolation {
        switch (state) {
            case START_LINE -> {
                if (handler.startLine(text)) {
                    fields.clear();
                    fieldBytes = 0;
                    trailers = 0;
                    trailerBytes = 0;
                    state = State.FIELD_LINE;
                }
            }
            case FIELD_LINE -> {
                if (text.isEmpty()) {
                    headEnd();
                } else {
                    field(text);
                }
            }
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
                    trailer(text);
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void headEnd() throws HttpViolation {
        long body = handler.head(List.copyOf(fields));
        if (body == CHUNKED) {
            state = State.CHUNK_SIZE;
        } else if (body == UNTIL_CLOSE) {
            state = State.UNTIL_CLOSE;
        } else if (body == TUNNEL) {
            state = State.TUNNEL;
        } else if (body == 0) {
            finish();
        } else if (body > 0) {
            remaining = body;
            state = State.BODY;
        } else {
            throw new IllegalArgumentException("body framing " + body);
        }
    }

    /** A field line of the head. */
    private void field(String text) throws HttpViolation {
        HeaderField f = parseField(text);
        fieldBytes += text.length();
        if (fields.size() >= limits.maxHeaders()) {
            throw new HttpViolation("more than " + limits.maxHeaders() + " header fields");
        }
        if (fieldBytes > limits.maxHeaderBytes()) {
            throw new HttpViolation("header section larger than " + limits.maxHeaderBytes() + " bytes");
        }
        fields.add(f);
    }

    /** A field line of the trailer: its own limits, and no field that frames, routes or controls the message. */
    private void trailer(String text) throws HttpViolation {
        HeaderField f = parseField(text);
        trailerBytes += text.length();
        if (trailers >= limits.maxTrailers()) {
            throw new HttpViolation("more than " + limits.maxTrailers() + " trailer fields");
        }
        if (trailerBytes > limits.maxTrailerBytes()) {
            throw new HttpViolation("trailer section larger than " + limits.maxTrailerBytes() + " bytes");
        }
        String lower = f.name().toLowerCase(Locale.ROOT);
        if (NOT_IN_TRAILERS.contains(lower) || lower.startsWith("if-")) {
            throw new HttpViolation("header " + f.name() + " is not allowed in a trailer");
        }
        trailers++;
    }

    private static HeaderField parseField(String text) throws HttpViolation {
        if (text.charAt(0) == ' ' || text.charAt(0) == '\t') {
            throw new HttpViolation("obsolete line folding (obs-fold)");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || !Tokens.isToken(text.substring(0, colon))) {
            throw new HttpViolation("invalid header field name in \"" + Printable.shortened(text) + "\"");
        }
        String name = text.substring(0, colon);
        checkName(name);
        String raw = text.substring(colon + 1);
        if (Tokens.hasControl(raw)) {
            throw new HttpViolation("control character in header " + name);
        }
        return new HeaderField(name, stripOws(raw));
    }

    /**
     * Fields that frame, route or control a message; a name that is one of them once case and
     * every character other than a letter or digit are ignored, but is not exactly it, is refused:
     * servers and CGI-style gateways that map {@code -} to {@code _}, or ignore junk around a
     * name, would read {@code Transfer_Encoding} or {@code Content--Length} as the real field.
     */
    static final List<String> SENSITIVE = List.of("Content-Length", "Transfer-Encoding", "Host", "Connection", "Upgrade",
            "Expect", "TE", "Trailer");
    private static final List<String> SENSITIVE_SKELETONS = SENSITIVE.stream().map(MessageReader::skeleton).toList();

    /**
     * Fields a trailer may not carry (RFC 9110 6.5.1: framing, routing, request modifiers,
     * authentication, content metadata; and every {@code If-*} condition): a recipient that merges
     * trailers into the head would act on them after the gateway judged the head.
     */
    static final List<String> NOT_IN_TRAILERS = List.of("content-length", "transfer-encoding", "host", "trailer", "te",
            "connection", "keep-alive", "proxy-connection", "upgrade", "expect", "content-type", "content-encoding",
            "content-range", "content-location", "range", "cache-control", "max-forwards", "pragma", "authorization",
            "proxy-authorization", "proxy-authenticate", "www-authenticate", "cookie", "set-cookie", "location", "date",
            "age", "expires", "vary", "retry-after", "forwarded", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto");

    private static void checkName(String name) throws HttpViolation {
        String skeleton = skeleton(name);
        for (int i = 0; i < SENSITIVE.size(); i++) {
            if (skeleton.equals(SENSITIVE_SKELETONS.get(i)) && !name.equalsIgnoreCase(SENSITIVE.get(i))) {
                throw new HttpViolation("header name \"" + name + "\" could be read as " + SENSITIVE.get(i));
            }
        }
    }

    /** The letters (lower case) and digits of {@code name}. */
    private static String skeleton(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = Character.toLowerCase(name.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void chunkSize(String text) throws HttpViolation {
        int end = 0;
        while (end < text.length() && Tokens.isHexDigit(text.charAt(end))) {
            end++;
        }
        String hex = text.substring(0, end);
        String extension = text.substring(end);
        if (hex.isEmpty() || hex.length() > 10 || (!extension.isEmpty() && extension.indexOf(';') < 0)) {
            throw new HttpViolation("invalid chunk size \"" + Printable.shortened(text) + "\"");
        }
        if (!isChunkExtension(extension)) {
            throw new HttpViolation("invalid chunk extension \"" + Printable.shortened(extension) + "\"");
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

    /**
     * RFC 9112 7.1.1: {@code *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )}.
     */
    static boolean isChunkExtension(String s) {
        int i = 0;
        int n = s.length();
        while (true) {
            i = skipWhitespace(s, i);
            if (i == n) {
                return true;
            }
            if (s.charAt(i) != ';') {
                return false;
            }
            i = skipWhitespace(s, i + 1);
            int from = i;
            while (i < n && Tokens.isTchar(s.charAt(i))) {
                i++;
            }
            if (i == from) {
                return false;
            }
            int afterName = i;
            i = skipWhitespace(s, i);
            if (i == n || s.charAt(i) != '=') {
                i = afterName;
                continue;
            }
            i = skipWhitespace(s, i + 1);
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    char c = s.charAt(i);
                    if (c == '\\') {
                        i++;
                        if (i == n || !isQuotable(s.charAt(i))) {
                            return false;
                        }
                    } else if (!isQuotable(c)) {
                        return false;
                    }
                    i++;
                }
                if (i == n) {
                    return false;
                }
                i++;
            } else {
                from = i;
                while (i < n && Tokens.isTchar(s.charAt(i))) {
                    i++;
                }
                if (i == from) {
                    return false;
                }
            }
        }
    }

    /** qdtext and the characters a quoted-pair may escape: HTAB, SP, VCHAR, obs-text. */
    private static boolean isQuotable(char c) {
        return c == '\t' || (c >= ' ' && c != 0x7f && c <= 0xff);
    }

    private static int skipWhitespace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private void finish() {
        state = State.START_LINE;
        handler.complete();
    }

    /** Removes optional whitespace (SP and HTAB only) around a field value. */
    static String stripOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** HTTP/1.1 or HTTP/1.0, the only versions relayed, in requests and responses alike. */
    static void checkVersion(String version) throws HttpViolation {
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new HttpViolation("unsupported version \"" + Printable.shortened(version) + "\"");
        }
    }

    /** The Content-Length, or -1 when there is none; duplicates, lists and anything but digits are refused. */
    static long contentLength(List<String> values) throws HttpViolation {
        if (values.size() > 1 || (values.size() == 1 && values.get(0).contains(","))) {
            throw new HttpViolation("more than one Content-Length");
        }
        if (values.isEmpty()) {
            return -1;
        }
        String v = values.get(0);
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpViolation("invalid Content-Length \"" + Printable.shortened(v) + "\"");
        }
        return Long.parseLong(v);
    }

    /**
     * The transfer codings of every Transfer-Encoding field, in order, as lower-case names; an empty
     * or invalid element, or chunked with parameters, is refused.
     */
    static List<String> transferCodings(List<String> values) throws HttpViolation {
        List<String> codings = new ArrayList<>();
        for (String v : values) {
            for (String element : v.split(",", -1)) {
                String c = stripOws(element);
                int semi = c.indexOf(';');
                String name = stripOws(semi >= 0 ? c.substring(0, semi) : c).toLowerCase(Locale.ROOT);
                if (!Tokens.isToken(name)) {
                    throw new HttpViolation("invalid transfer coding \"" + Printable.shortened(c) + "\"");
                }
                if (name.equals("chunked") && semi >= 0) {
                    throw new HttpViolation("chunked transfer coding with parameters \"" + Printable.shortened(c) + "\"");
                }
                codings.add(name);
            }
        }
        return codings;
    }
}
