package io.xdpgate.datapath.netlink;

/** A netlink datagram that does not parse: the reason and the byte offset where it went wrong. */
public final class MalformedNetlinkMessage extends IllegalArgumentException {
    private final int offset;

    MalformedNetlinkMessage(int offset, String reason) {
        super("malformed netlink message at byte " + offset + ": " + reason);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
