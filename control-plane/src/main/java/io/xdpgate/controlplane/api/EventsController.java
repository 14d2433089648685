package io.xdpgate.controlplane.api;

import io.xdpgate.controlplane.events.EventLog;
import io.xdpgate.abi.EventType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The recent flow events, newest last, optionally of one type or one connection. */
@RestController
class EventsController {
    static final int DEFAULT_LIMIT = 100;
    private static final String TYPES = Arrays.stream(EventType.values()).map(t -> t.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));

    private final EventLog events;

    EventsController(EventLog events) {
        this.events = events;
    }

    /**
     * @param limit at most this many (the newest that match), 1 or more; default {@value #DEFAULT_LIMIT}
     * @param type  new, redirect, closed or drop
     * @param conn  a connection id, as GET /api/v1/connections shows it
     */
    @GetMapping("/api/v1/events")
    List<EventView> list(@RequestParam(required = false) String limit, @RequestParam(required = false) String type,
                         @RequestParam(required = false) String conn) {
        return events.recent().find(limit(limit), type(type), conn(conn)).stream().map(EventView::of).toList();
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

    static final class BadParameter extends RuntimeException {
        private final String parameter;

        BadParameter(String parameter, String value, String why) {
            super(parameter + "=" + value + ": " + why);
            this.parameter = parameter;
        }
    }
}
