package io.xdpgate.controlplane.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in daemon for the CLI's tests: an HTTP/1.1 server on a unix socket answering each
 * request path (with its query) with canned bodies, in turn; the last one repeats. Unknown paths: 404.
 */
final class CannedDaemon implements AutoCloseable {
    record Answer(int status, String contentType, byte[] body) {
    }

    private final Path dir;
    private final ServerSocketChannel server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread loop;

    CannedDaemon() throws IOException {
        dir = Files.createTempDirectory("xdpgate-cli-");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket()));
        loop = new Thread(this::serve, "canned-daemon");
        loop.setDaemon(true);
        loop.start();
    }

    Path socket() {
        return dir.resolve("api.sock");
    }

    /** Answers {@code path} with 200 and the test resource cli/api/{@code resource}. */
    CannedDaemon ok(String path, String resource) {
        return answer(path, 200, "application/json", CliFixtures.resource("cli/api/" + resource));
    }

    CannedDaemon answer(String path, int status, String contentType, byte[] body) {
        answers.computeIfAbsent(path, p -> new ArrayDeque<>()).add(new Answer(status, contentType, body));
        return this;
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                handle(Channels.newInputStream(ch), Channels.newOutputStream(ch));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(InputStream in, OutputStream out) throws IOException {
        String request = line(in);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            if (h.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).strip());
            }
        }
        in.readNBytes(length);
        String path = request.split(" ")[1];
        requests.add(request.split(" ")[0] + " " + path);
        Deque<Answer> queue = answers.get(path);
        Answer a = queue == null ? new Answer(404, "application/problem+json",
                "{\"title\":\"Not Found\",\"status\":404}".getBytes(StandardCharsets.UTF_8))
                : queue.size() > 1 ? queue.poll() : queue.peek();
        out.write(("HTTP/1.1 " + a.status() + " X\r\nContent-Type: " + a.contentType() + "\r\nContent-Length: "
                + a.body().length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(a.body());
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket());
        Files.deleteIfExists(dir);
    }
}
