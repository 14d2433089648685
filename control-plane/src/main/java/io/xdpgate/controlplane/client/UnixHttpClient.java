package io.xdpgate.controlplane.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A minimal HTTP/1.1 client over the daemon's unix-domain socket, for the CLI and the tests (the
 * JDK's HttpClient speaks TCP only). One request per connection.
 */
public final class UnixHttpClient {
    private final Path socket;

    public UnixHttpClient(Path socket) {
        this.socket = socket;
    }

    /** A response: status, headers (lower-case names) and the body as text. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public Response get(String path) throws IOException {
        return send("GET", path, null, null);
    }

    public Response delete(String path) throws IOException {
        return send("DELETE", path, null, null);
    }

    public Response put(String path, String json) throws IOException {
        return send("PUT", path, "application/json", json);
    }

    public Response post(String path, String json) throws IOException {
        return send("POST", path, "application/json", json);
    }

    /**
     * GETs a stream of lines (NDJSON) and hands each to {@code line} as it arrives (blank
     * heartbeat lines are skipped); returns when the server ends the stream, with an empty body.
     * A non-2xx answer is returned whole, as {@link #send} does.
     */
    public Response stream(String path, Consumer<String> line) throws IOException {
        try (SocketChannel ch = request("GET", path, "application/x-ndjson", null, null)) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            int status = status(line(in));
            Map<String, String> headers = headers(in);
            if (status < 200 || status >= 300) {
                return new Response(status, headers, new String(body(in, headers), StandardCharsets.UTF_8));
            }
            InputStream body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new ChunkedBody(in) : in;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (int c = body.read(); c != -1; c = body.read()) {
                if (c != '\n') {
                    buf.write(c);
                    continue;
                }
                String text = buf.toString(StandardCharsets.UTF_8).strip();
                buf.reset();
                if (!text.isEmpty()) {
                    line.accept(text);
                }
            }
            return new Response(status, headers, "");
        }
    }

    public Response send(String method, String path, String contentType, String body) throws IOException {
        try (SocketChannel ch = request(method, path, "application/json", contentType, body)) {
            return read(new BufferedInputStream(Channels.newInputStream(ch)));
        }
    }

    /** Connects and writes one request (its body, if any, as UTF-8); the caller reads the answer and closes. */
    private SocketChannel request(String method, String path, String accept, String contentType, String body)
            throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n")
                .append("Connection: close\r\n")
                .append("Accept: ").append(accept).append(", application/problem+json, */*;q=0.5\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            var out = Channels.newOutputStream(ch);
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static Response read(InputStream in) throws IOException {
        int status = status(line(in));
        Map<String, String> headers = headers(in);
        return new Response(status, headers, new String(body(in, headers), StandardCharsets.UTF_8));
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + line);
        }
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return new ChunkedBody(in).readAllBytes();
        } else if (headers.containsKey("content-length")) {
            return in.readNBytes(Integer.parseInt(headers.get("content-length")));
        }
        return in.readAllBytes();
    }

    /** A chunked body decoded as it arrives: read() blocks only for the next byte, not the whole chunk. */
    private static final class ChunkedBody extends InputStream {
        private final InputStream in;
        private int left;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) {
                    size = line(in); // the CRLF that ends the previous chunk
                }
                int semi = size.indexOf(';');
                try {
                    left = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("not a chunk size: " + size);
                }
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int c = in.read();
            if (c == -1) {
                throw new IOException("connection closed by the daemon");
            }
            left--;
            return c;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                buf.write(c);
            }
        }
        if (c == -1 && buf.size() == 0) {
            throw new IOException("connection closed by the daemon");
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }
}
