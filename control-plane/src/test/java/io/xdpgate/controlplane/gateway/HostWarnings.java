package io.xdpgate.controlplane.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The WARNING (and worse) lines {@link GatewayHost} logs while attached, in order. */
final class HostWarnings extends Handler {
    /** Held: JUL keeps loggers weakly, and a collected logger would drop this handler. */
    private static final Logger HOST_LOG = Logger.getLogger(GatewayHost.class.getName());

    private final List<String> lines = new CopyOnWriteArrayList<>();

    HostWarnings attach() {
        HOST_LOG.addHandler(this);
        return this;
    }

    void detach() {
        HOST_LOG.removeHandler(this);
    }

    /** What was logged so far (a live view). */
    List<String> lines() {
        return lines;
    }

    void clear() {
        lines.clear();
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            lines.add(r.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
