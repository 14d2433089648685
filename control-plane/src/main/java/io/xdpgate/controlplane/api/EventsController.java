package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.config.XdpgateProperties;
import io.xdpgate.controlplane.events.EventLog;
import io.xdpgate.controlplane.events.FlowEvent;
import io.xdpgate.controlplane.events.Follower;
import io.xdpgate.controlplane.events.Followers;
import io.xdpgate.abi.EventType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recent flow events, newest last, optionally of one type or one connection; with
 * {@code follow=true} the new ones as they come, one JSON object per line (or as server-sent
 * events), for as long as the client reads.
 */
@RestController
class EventsController {
    static final int DEFAULT_LIMIT = 100;
    private static final String TYPES = Arrays.stream(EventType.values()).map(t -> t.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));

    private final EventLog events;
    private final Followers followers;
    private final Duration heartbeat;
    private final JsonMapper json;

    @Autowired
    EventsController(EventLog events, Followers followers, XdpgateProperties props, JsonMapper json) {
        this(events, followers, props.events().followHeartbeat(), json);
    }

    /** @param heartbeat how often an idle stream carries a heartbeat (a blank line, an SSE comment) */
    EventsController(EventLog events, Followers followers, Duration heartbeat, JsonMapper json) {
        this.events = events;
        this.followers = followers;
        this.heartbeat = heartbeat;
        this.json = json;
    }

    /**
     * @param limit at most this many (the newest that match), 1 or more; default {@value #DEFAULT_LIMIT}
     * @param type  new, redirect, closed or drop
     * @param conn  a connection id, as GET /api/v1/connections shows it
     */
    @GetMapping(value = "/api/v1/events", params = "!follow")
    List<EventView> list(@RequestParam(required = false) String limit, @RequestParam(required = false) String type,
                         @RequestParam(required = false) String conn) {
        return events.recent().find(limit(limit), type(type), conn(conn)).stream().map(EventView::of).toList();
    }

    /**
     * Follows the events that match. First the newest {@code limit} kept ones (default 0: none),
     * or with {@code after} (or an SSE client's Last-Event-ID) every kept one after that seq; then
     * each new one. A client that reads too slowly loses events, and is told how many.
     */
    @GetMapping(value = "/api/v1/events", params = "follow")
    ResponseEntity<ResponseBodyEmitter> follow(@RequestParam String follow,
                                               @RequestParam(required = false) String limit,
                                               @RequestParam(required = false) String type,
                                               @RequestParam(required = false) String conn,
                                               @RequestParam(required = false) String after,
                                               @RequestHeader(value = "Last-Event-ID", required = false) String lastId,
                                               @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        if (!follow.strip().equalsIgnoreCase("true")) {
            throw new BadParameter("follow", follow, "must be true (leave it out for the list of recent events)");
        }
        EventStream.Format format = accept != null && accept.contains(EventStream.Format.SSE.mediaType)
                ? EventStream.Format.SSE : EventStream.Format.NDJSON;
        int recent = follow(limit);
        EventType t = type(type);
        Long c = conn(conn);
        Long from = after != null ? seq("after", after) : lastId != null ? seq("Last-Event-ID", lastId) : null;
        Follower follower = followers.follow(t, c);
        // after subscribing: an event that arrives meanwhile is in both, and sent once
        List<FlowEvent> replay = from != null ? events.recent().after(from, t, c)
                : recent > 0 ? events.recent().find(recent, t, c) : List.of();
        ResponseBodyEmitter emitter = new EventStream(follower, replay, format, heartbeat,
                e -> json.writeValueAsString(EventView.of(e))).start();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(format.mediaType))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(emitter);
    }

    private static int follow(String limit) {
        if (limit == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(limit.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameter("limit", limit, "must be a whole number of at least 0 (recent events sent first)");
    }

    private static Long seq(String name, String text) {
        try {
            Long n = Long.parseLong(text.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameter(name, text, "must be an event's seq (a whole number of at least 0)");
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameter("limit", text, "must be a whole number of at least 1");
    }

    private static EventType type(String text) {
        if (text == null) {
            return null;
        }
        for (EventType t : EventType.values()) {
            if (t.name().equalsIgnoreCase(text.strip())) {
                return t;
            }
        }
        throw new BadParameter("type", text, "must be one of " + TYPES);
    }

    private static Long conn(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(text.strip());
        } catch (NumberFormatException e) {
            throw new BadParameter("conn", text, "must be a connection id (an unsigned decimal number)");
        }
    }

    @ExceptionHandler(BadParameter.class)
    ProblemDetail badParameter(BadParameter e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Bad parameter");
        problem.setProperty("parameter", e.parameter);
        return problem;
    }

    @ExceptionHandler(Followers.TooManyFollowers.class)
    ProblemDetail tooManyFollowers(Followers.TooManyFollowers e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()
                + " (xdpgate.events.max-followers=" + e.max() + ")");
        problem.setTitle("Too many followers");
        problem.setProperty("limit", e.max());
        problem.setProperty("setting", "xdpgate.events.max-followers");
        return problem;
    }

    static final class BadParameter extends RuntimeException {
        private final String parameter;

        BadParameter(String parameter, String value, String why) {
            super(parameter + "=" + value + ": " + why);
            this.parameter = parameter;
        }
    }
}
