package io.xdpgate.datapath.netlink;

import java.util.List;

/** A subscription to the link events of a network namespace (rtnetlink's RTMGRP_LINK). */
public interface LinkEvents extends AutoCloseable {
    /**
     * The next datagram's messages, or a timeout, or an overflow; a datagram that does not parse
     * throws {@link MalformedNetlinkMessage}.
     */
    Received receive();

    @Override
    void close();

    /** What one receive brought. */
    record Received(Status status, List<LinkMessage> messages) {
        public enum Status {
            MESSAGES,
            /** nothing within the receive timeout */
            TIMEOUT,
            /** ENOBUFS: the socket's buffer was full, events were lost; only a full re-list tells what exists */
            OVERFLOW
        }
    }
}
