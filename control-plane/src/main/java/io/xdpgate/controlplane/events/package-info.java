/**
 * The flow event log: what the packet processor reports through its {@code events} ring buffer
 * (new, redirected, closed and refused flows), named after the policy and kept and logged.
 *
 * <ul>
 * <li>{@link io.xdpgate.controlplane.events.EventReader}: the thread draining the ring buffer.</li>
 * <li>{@link io.xdpgate.controlplane.events.EventLog}: numbers, stamps and names each event, keeps
 *     it in {@link io.xdpgate.controlplane.events.RecentEvents} and logs it with
 *     {@link io.xdpgate.controlplane.events.FlowLog} (logger {@code xdpgate.flows} by default, drops rate-limited).</li>
 * <li>{@link io.xdpgate.controlplane.events.FlowEvent}: one event, tuples and names resolved.</li>
 * <li>The flow log: {@link io.xdpgate.controlplane.events.FlowLog} decides what is written (levels,
 *     the drop rate limit of {@link io.xdpgate.controlplane.events.DropRateLimit}) in a
 *     {@link io.xdpgate.controlplane.events.FlowFormat} ({@link io.xdpgate.controlplane.events.FlowText}
 *     key=value, {@link io.xdpgate.controlplane.events.FlowRecord} JSON) to a
 *     {@link io.xdpgate.controlplane.events.FlowSink} ({@link io.xdpgate.controlplane.events.LoggerSink},
 *     or {@link io.xdpgate.controlplane.events.LineWriter} over stdout or a
 *     {@link io.xdpgate.controlplane.events.RotatingFile}).</li>
 * <li>{@link io.xdpgate.controlplane.events.Followers}: the clients following the events live, at
 *     most a set number, each a {@link io.xdpgate.controlplane.events.Follower} with a bounded queue
 *     the reader only offers to (full: the event is dropped for it and counted).</li>
 * </ul>
 */
package io.xdpgate.controlplane.events;
