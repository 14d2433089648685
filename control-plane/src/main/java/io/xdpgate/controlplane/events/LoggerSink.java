package io.xdpgate.controlplane.events;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Lines as messages of a JUL logger, at their level: the logging configuration routes them. */
public final class LoggerSink implements FlowSink {
    private final Logger logger;

    public LoggerSink(Logger logger) {
        this.logger = logger;
    }

    @Override
    public boolean wants(Level level) {
        return logger.isLoggable(level);
    }

    @Override
    public void write(Level level, String line) {
        logger.log(level, line);
    }

    @Override
    public void flush() {
    }

    @Override
    public long lostLines() {
        return 0;
    }

    @Override
    public void close() {
    }
}
