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
        String head = "GET " + path + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Connection: close\r\n"
                + "Accept: application/x-ndjson, application/problem+json, */*;q=0.5\r\n\r\n";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            var out = Channels.newOutputStream(ch);
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
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
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n")
                .append("Connection: close\r\n")
                .append("Accept: application/json, application/problem+json, */*;q=0.5\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            var out = Channels.newOutputStream(ch);
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            return read(Channels.newInputStream(ch));
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
            return chunked(in);
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

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
            if (n == 0) {
                while (!line(in).isEmpty()) {
                    // trailers
                }
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            line(in);
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
