package io.xdpgate.datapath.packet;

/** The verdict on one checksum of a frame. */
public enum ChecksumStatus {
    /** A receiver accepts it (0x0000 and 0xffff are the same one's complement zero, except for UDP). */
    CORRECT,
    /** A receiver rejects it. */
    WRONG,
    /** IPv4 UDP with checksum 0: the sender computed none. Legal, but not "correct" (see {@link ChecksumReport}). */
    ABSENT,
    /** Nothing to check: no IPv4 header (IPv6, non-IP) or an upper layer without a known checksum. */
    NOT_APPLICABLE,
    /** Cannot be checked from this frame: the checksum covers a whole datagram and this is a fragment. */
    INCOMPLETE,
}
