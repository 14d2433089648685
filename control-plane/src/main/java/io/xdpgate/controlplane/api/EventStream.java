package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.events.FlowEvent;
import io.xdpgate.controlplane.events.Follower;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * One follower's response, written by a thread of its own (never the event reader, never a pool
 * other requests need): first the kept events asked for, then each new one as it comes, a lost
 * marker where its queue overflowed, and a heartbeat when idle, so that a vanished client fails a
 * write and its thread and queue go. Ends when the client goes or the follower is closed.
 */
final class EventStream {
    private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Events sent in one write at most, when a burst waits. */
    private static final int BATCH = 256;
    private static final int BATCH_CHARS = 64 * 1024;

    /** How events, losses and heartbeats look on the wire: NDJSON or server-sent events. */
    enum Format {
        NDJSON("application/x-ndjson") {
            @Override
            String event(FlowEvent e, String json) {
                return json + "\n";
            }

            @Override
            String lost(long n) {
                return "{\"lost\":" + n + "}\n";
            }

            @Override
            String heartbeat() {
                return "\n";
            }
        },
        SSE("text/event-stream") {
            @Override
            String event(FlowEvent e, String json) {
                return "id: " + e.seq() + "\nevent: " + e.typeName() + "\ndata: " + json + "\n\n";
            }

            @Override
            String lost(long n) {
                return "event: lost\ndata: {\"lost\":" + n + "}\n\n";
            }

            @Override
            String heartbeat() {
                return ":\n\n";
            }
        };

        final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        abstract String event(FlowEvent e, String json);

        abstract String lost(long n);

        abstract String heartbeat();
    }

    private final Follower follower;
    private final List<FlowEvent> replay;
    private final Format format;
    private final Duration heartbeat;
    private final Function<FlowEvent, String> json;
    /** No timeout: the stream lasts as long as the client reads (the heartbeat notices one gone). */
    private final ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
    private final Thread thread;
    private volatile boolean ended;

    /**
     * @param replay kept events to send first, oldest first; events the follower receives again
     *               (they arrived while these were read) are skipped by seq
     * @param json   an event as the list endpoint shows it, one line of JSON
     */
    EventStream(Follower follower, List<FlowEvent> replay, Format format, Duration heartbeat,
                Function<FlowEvent, String> json) {
        this.follower = follower;
        this.replay = replay;
        this.format = format;
        this.heartbeat = heartbeat;
        this.json = json;
        this.thread = new Thread(this::run, "xdpgate-follow-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        emitter.onCompletion(this::ended);
        emitter.onTimeout(this::ended);
        emitter.onError(t -> ended());
    }

    ResponseBodyEmitter start() {
        thread.start();
        return emitter;
    }

    /** The container ended the request (the client went): the writer wakes and leaves the rest to it. */
    private void ended() {
        ended = true;
        follower.close();
    }

    private void run() {
        try {
            long last = 0;
            StringBuilder out = new StringBuilder();
            for (FlowEvent e : replay) {
                out.append(format.event(e, json.apply(e)));
                last = e.seq();
                if (out.length() >= BATCH_CHARS) {
                    write(out);
                }
            }
            out.append(replay.isEmpty() ? format.heartbeat() : ""); // commits the response: the client knows it follows
            write(out);
            List<Follower.Item> burst = new ArrayList<>(BATCH);
            while (!follower.isClosed()) {
                Follower.Item first = follower.next(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (!follower.isClosed()) {
                        out.append(format.heartbeat());
                        write(out);
                    }
                    continue;
                }
                burst.add(first);
                follower.drainTo(burst, BATCH - 1); // what else waits goes in the same write
                for (Follower.Item item : burst) {
                    if (item.lostBefore() > 0) {
                        out.append(format.lost(item.lostBefore()));
                    }
                    if (item.event().seq() > last) {
                        out.append(format.event(item.event(), json.apply(item.event())));
                        last = item.event().seq();
                    }
                }
                burst.clear();
                write(out);
            }
        } catch (IOException | IllegalStateException gone) {
            // the client went (or the request ended): nothing more to write
            LOG.log(Level.FINE, "a follower of the events went", gone);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } finally {
            follower.close();
            if (!ended) {
                // ends the request, also after a failed write: with no timeout nothing else would
                emitter.complete();
            }
        }
    }

    private void write(StringBuilder text) throws IOException {
        if (!text.isEmpty()) {
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            text.setLength(0);
            emitter.send(bytes);
        }
    }
}
