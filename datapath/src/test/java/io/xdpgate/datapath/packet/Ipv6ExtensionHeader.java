package io.xdpgate.datapath.packet;

/**
 * One IPv6 extension header found by {@link PacketView}.
 *
 * @param type   its next-header value (0 hop-by-hop, 43 routing, 44 fragment, 60 destination options ...)
 * @param offset where it starts in the frame
 * @param length its length in bytes
 */
public record Ipv6ExtensionHeader(int type, int offset, int length) {
}
