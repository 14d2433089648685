package io.xdpgate.gateways.text;

/** A text protocol's line that cannot be taken as it is: its message says why, for the refusal. */
public final class LineFormatException extends Exception {
    public LineFormatException(String message) {
        super(message, null, false, false);
    }
}
