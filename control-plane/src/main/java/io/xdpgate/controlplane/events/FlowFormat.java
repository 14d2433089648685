package io.xdpgate.controlplane.events;

/**
 * How the flow log puts a flow event, and the summary of a second's suppressed drop lines, into
 * one line: {@link FlowText} (key=value, for people) or {@link FlowRecord} (JSON, for machines).
 */
public interface FlowFormat {
    String event(FlowEvent e);

    /** {@code count} drop lines left out in the second just over, at most {@code limit} per second. */
    String suppressed(long count, int limit);
}
