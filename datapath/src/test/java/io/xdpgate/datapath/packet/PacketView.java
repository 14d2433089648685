package io.xdpgate.datapath.packet;

import io.xdpgate.abi.TcpFlags;

import io.xdpgate.abi.MacAddr;

import io.xdpgate.abi.IpProto;

import io.xdpgate.abi.AddressLiteral;

import io.xdpgate.abi.Checksum;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed Ethernet frame: Ethernet, any number of VLAN tags, IPv4 (with
 * options) or IPv6 (with extension headers), then TCP, UDP, ICMP or ICMPv6.
 * Fields are read from a private copy of the frame on demand.
 *
 * <p>Parsing is strict about what it must walk: a header that is cut off, an
 * IHL or TCP data offset below 5, or an IP length that claims more bytes than
 * the frame holds all throw a {@link PacketParseException} naming the header
 * and the offset. Bytes after the IP datagram (Ethernet padding) are allowed
 * and reported by {@link #trailerLength()}. Non-IP frames parse to their
 * Ethernet part; fragments other than the first parse to their IP part.
 *
 * <p>Accessors for a layer the frame does not have (ports of an ICMP packet,
 * the TTL of an ARP frame) throw {@link IllegalStateException}.
 */
public final class PacketView {
    private static final int ETH_HEADER = 14;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;

    private final byte[] frame;
    private final List<VlanTag> vlanTags;
    private final int etherType;
    private final int l3Offset;
    private final int ipVersion;
    private final int ipEnd;
    private final List<Ipv6ExtensionHeader> extensionHeaders;
    private final int protocol;
    private final int l4Offset;
    private final boolean l4HeaderPresent;
    private final int payloadOffset;
    private final boolean fragment;
    private final int fragmentOffset;
    private final byte[] checksumDestination;

    private PacketView(byte[] frame) {
        this.frame = frame;
        if (frame.length < ETH_HEADER) {
            throw new PacketParseException("frame of " + frame.length + " bytes is shorter than an Ethernet header (14)");
        }
        List<VlanTag> tags = new ArrayList<>();
        int type = u16(12);
        int off = ETH_HEADER;
        while (EtherTypes.isVlanTag(type)) {
            if (off + 4 > frame.length) {
                throw new PacketParseException("VLAN tag " + (tags.size() + 1) + " at offset " + off
                        + " is cut off (frame is " + frame.length + " bytes)");
            }
            tags.add(VlanTag.of(type, u16(off)));
            type = u16(off + 2);
            off += 4;
        }
        this.vlanTags = List.copyOf(tags);
        this.etherType = type;

        List<Ipv6ExtensionHeader> ext = new ArrayList<>();
        byte[] finalDst = null;
        if (type == EtherTypes.IPV4) {
            need(off, IPV4_HEADER, frame.length, "IPv4 header", "frame");
            checkVersion(off, 4);
            int headerLength = (frame[off] & 0x0f) * 4;
            if (headerLength < IPV4_HEADER) {
                throw new PacketParseException("IPv4 IHL " + headerLength / 4 + " at offset " + off + " is below 5");
            }
            need(off, headerLength, frame.length, "IPv4 header with options (IHL " + headerLength / 4 + ")", "frame");
            int totalLength = u16(off + 2);
            if (totalLength < headerLength) {
                throw new PacketParseException("IPv4 total length " + totalLength + " is below the header length " + headerLength);
            }
            need(off, totalLength, frame.length, "IPv4 datagram (total length " + totalLength + ")", "frame");
            int fragmentField = u16(off + 6);
            this.ipVersion = 4;
            this.ipEnd = off + totalLength;
            this.protocol = frame[off + 9] & 0xff;
            this.l4Offset = off + headerLength;
            this.fragmentOffset = fragmentField & 0x1fff;
            this.fragment = fragmentOffset != 0 || (fragmentField & 0x2000) != 0;
        } else if (type == EtherTypes.IPV6) {
            need(off, IPV6_HEADER, frame.length, "IPv6 header", "frame");
            checkVersion(off, 6);
            int end = off + IPV6_HEADER + u16(off + 4);
            need(off, end - off, frame.length, "IPv6 packet (payload length " + u16(off + 4) + ")", "frame");
            int next = frame[off + 6] & 0xff;
            int p = off + IPV6_HEADER;
            boolean isFragment = false;
            int fragOffset = 0;
            while (IpProto.isIpv6ExtensionHeader(next)) {
                int minimum = next == IpProto.FRAGMENT ? 8 : 2;
                need(p, minimum, end, "IPv6 extension header " + next, "IPv6 payload");
                int length = switch (next) {
                    case IpProto.FRAGMENT -> 8;
                    case IpProto.AH -> ((frame[p + 1] & 0xff) + 2) * 4;
                    default -> ((frame[p + 1] & 0xff) + 1) * 8;
                };
                need(p, length, end, "IPv6 extension header " + next + " (" + length + " bytes)", "IPv6 payload");
                ext.add(new Ipv6ExtensionHeader(next, p, length));
                if (next == IpProto.FRAGMENT) {
                    isFragment = true;
                    fragOffset = u16(p + 2) >>> 3;
                } else if (next == IpProto.ROUTING && length >= 4) {
                    byte[] named = Ipv6RoutingHeaders.finalDestination(frame, p, length);
                    finalDst = named != null ? named : finalDst;
                }
                next = frame[p] & 0xff;
                p += length;
            }
            this.ipVersion = 6;
            this.ipEnd = end;
            this.protocol = next;
            this.l4Offset = p;
            this.fragment = isFragment;
            this.fragmentOffset = fragOffset;
        } else {
            this.ipVersion = 0;
            this.ipEnd = frame.length;
            this.protocol = -1;
            this.l4Offset = -1;
            this.fragment = false;
            this.fragmentOffset = 0;
        }
        this.l3Offset = ipVersion == 0 ? -1 : off;
        this.extensionHeaders = List.copyOf(ext);
        this.checksumDestination = finalDst;

        int headerLength = ipVersion == 0 || fragmentOffset != 0 ? -1 : upperLayerHeaderLength();
        this.l4HeaderPresent = headerLength >= 0;
        this.payloadOffset = ipVersion == 0 ? ETH_HEADER + 4 * vlanTags.size() : l4Offset + Math.max(headerLength, 0);
    }

    /** Parses a copy of {@code frame}. */
    public static PacketView parse(byte[] frame) {
        return new PacketView(frame.clone());
    }

    /** Length of the TCP/UDP/ICMP header at l4Offset, checked against the datagram; -1 for other protocols. */
    private int upperLayerHeaderLength() {
        String family = ipVersion == 4 ? "IPv4 datagram" : "IPv6 payload";
        switch (protocol) {
            case IpProto.TCP -> {
                need(l4Offset, 20, ipEnd, "TCP header", family);
                int dataOffset = (frame[l4Offset + 12] & 0xff) >>> 4;
                if (dataOffset < 5) {
                    throw new PacketParseException("TCP data offset " + dataOffset + " at offset " + l4Offset + " is below 5");
                }
                need(l4Offset, dataOffset * 4, ipEnd, "TCP header with options (data offset " + dataOffset + ")", family);
                return dataOffset * 4;
            }
            case IpProto.UDP -> {
                need(l4Offset, 8, ipEnd, "UDP header", family);
                return 8;
            }
            case IpProto.ICMP, IpProto.ICMPV6 -> {
                need(l4Offset, 8, ipEnd, protocol == IpProto.ICMP ? "ICMP header" : "ICMPv6 header", family);
                return 8;
            }
            default -> {
                return -1;
            }
        }
    }

    private void need(int offset, int length, int limit, String what, String container) {
        if (offset + length > limit) {
            throw new PacketParseException(what + " needs " + length + " bytes at offset " + offset + " but the "
                    + container + " ends at offset " + limit + " (" + Math.max(0, limit - offset) + " bytes left)");
        }
    }

    private void checkVersion(int off, int expected) {
        int version = (frame[off] & 0xff) >>> 4;
        if (version != expected) {
            throw new PacketParseException("ethertype says IPv" + expected + " but the IP version field at offset "
                    + off + " is " + version);
        }
    }

    // ---- Ethernet

    public byte[] frame() {
        return frame.clone();
    }

    public int length() {
        return frame.length;
    }

    public MacAddr dstMac() {
        return MacAddr.of(frame, 0);
    }

    public MacAddr srcMac() {
        return MacAddr.of(frame, 6);
    }

    /** Outermost first. */
    public List<VlanTag> vlanTags() {
        return vlanTags;
    }

    /** The type after the last VLAN tag. */
    public int etherType() {
        return etherType;
    }

    // ---- IP

    public boolean isIp() {
        return ipVersion != 0;
    }

    /** 4, 6, or 0 for a non-IP frame. */
    public int ipVersion() {
        return ipVersion;
    }

    public int l3Offset() {
        requireIp();
        return l3Offset;
    }

    /** Offset just past the IP datagram; bytes from here on are Ethernet padding. */
    public int ipEnd() {
        requireIp();
        return ipEnd;
    }

    public int trailerLength() {
        return frame.length - ipEnd;
    }

    public byte[] srcAddressBytes() {
        requireIp();
        return ipVersion == 4 ? bytes(l3Offset + 12, 4) : bytes(l3Offset + 8, 16);
    }

    public byte[] dstAddressBytes() {
        requireIp();
        return ipVersion == 4 ? bytes(l3Offset + 16, 4) : bytes(l3Offset + 24, 16);
    }

    /** An {@code Inet6Address} for IPv6 even when the bytes are IPv4-mapped. */
    public InetAddress srcAddress() {
        return address(srcAddressBytes());
    }

    public InetAddress dstAddress() {
        return address(dstAddressBytes());
    }

    /** The upper-layer protocol: IPv4 protocol field, or the IPv6 next header after all extension headers. */
    public int protocol() {
        requireIp();
        return protocol;
    }

    /** TTL (IPv4) or hop limit (IPv6). */
    public int ttl() {
        requireIp();
        return frame[l3Offset + (ipVersion == 4 ? 8 : 7)] & 0xff;
    }

    /** IPv4 type of service or IPv6 traffic class. */
    public int tos() {
        requireIp();
        return ipVersion == 4 ? frame[l3Offset + 1] & 0xff : (u16(l3Offset) >>> 4) & 0xff;
    }

    /** An IPv4 datagram with MF or a fragment offset, or an IPv6 packet with a fragment header. */
    public boolean isFragment() {
        requireIp();
        return fragment;
    }

    /** In 8-byte units, from the IPv4 header or the IPv6 fragment header. */
    public int fragmentOffset() {
        requireIp();
        return fragmentOffset;
    }

    public int ipv4HeaderLength() {
        requireIpv4();
        return (frame[l3Offset] & 0x0f) * 4;
    }

    public int ipv4TotalLength() {
        requireIpv4();
        return u16(l3Offset + 2);
    }

    public int ipv4Id() {
        requireIpv4();
        return u16(l3Offset + 4);
    }

    public boolean dontFragment() {
        requireIpv4();
        return (u16(l3Offset + 6) & 0x4000) != 0;
    }

    public boolean moreFragments() {
        requireIpv4();
        return (u16(l3Offset + 6) & 0x2000) != 0;
    }

    public int ipv4HeaderChecksum() {
        requireIpv4();
        return u16(l3Offset + 10);
    }

    public byte[] ipv4Options() {
        return bytes(l3Offset + IPV4_HEADER, ipv4HeaderLength() - IPV4_HEADER);
    }

    public int ipv6PayloadLength() {
        requireIpv6();
        return u16(l3Offset + 4);
    }

    public int flowLabel() {
        requireIpv6();
        return (int) (u32(l3Offset) & 0xfffff);
    }

    public List<Ipv6ExtensionHeader> extensionHeaders() {
        requireIpv6();
        return extensionHeaders;
    }

    /**
     * The destination an upper-layer checksum is computed with: the final
     * destination of a routing header with segments left, else the header's.
     */
    public byte[] checksumDestination() {
        return checksumDestination != null ? checksumDestination.clone() : dstAddressBytes();
    }

    // ---- upper layer

    /** Where the upper layer starts (after IPv4 options or IPv6 extension headers). */
    public int l4Offset() {
        requireIp();
        return l4Offset;
    }

    /** True when a TCP, UDP, ICMP or ICMPv6 header was parsed (not for non-first fragments). */
    public boolean hasL4Header() {
        return l4HeaderPresent;
    }

    public int l4Length() {
        return ipEnd() - l4Offset;
    }

    public int srcPort() {
        requireL4(IpProto.TCP, IpProto.UDP);
        return u16(l4Offset);
    }

    public int dstPort() {
        requireL4(IpProto.TCP, IpProto.UDP);
        return u16(l4Offset + 2);
    }

    public long seq() {
        requireL4(IpProto.TCP);
        return u32(l4Offset + 4);
    }

    public long ackNumber() {
        requireL4(IpProto.TCP);
        return u32(l4Offset + 8);
    }

    /** The flags byte; see {@link TcpFlags}. */
    public int tcpFlags() {
        requireL4(IpProto.TCP);
        return frame[l4Offset + 13] & 0xff;
    }

    /** True when every flag in {@code flags} is set. */
    public boolean hasTcpFlags(int flags) {
        return (tcpFlags() & flags) == flags;
    }

    public int tcpDataOffset() {
        requireL4(IpProto.TCP);
        return (frame[l4Offset + 12] & 0xff) >>> 4;
    }

    public int window() {
        requireL4(IpProto.TCP);
        return u16(l4Offset + 14);
    }

    public int urgentPointer() {
        requireL4(IpProto.TCP);
        return u16(l4Offset + 18);
    }

    public byte[] tcpOptions() {
        return bytes(l4Offset + 20, tcpDataOffset() * 4 - 20);
    }

    public int udpLength() {
        requireL4(IpProto.UDP);
        return u16(l4Offset + 4);
    }

    public int icmpType() {
        requireL4(IpProto.ICMP, IpProto.ICMPV6);
        return frame[l4Offset] & 0xff;
    }

    public int icmpCode() {
        requireL4(IpProto.ICMP, IpProto.ICMPV6);
        return frame[l4Offset + 1] & 0xff;
    }

    /** Bytes 4-5 of the ICMP header: the identifier of echo messages. */
    public int icmpId() {
        requireL4(IpProto.ICMP, IpProto.ICMPV6);
        return u16(l4Offset + 4);
    }

    /** Bytes 6-7 of the ICMP header: the sequence number of echo messages. */
    public int icmpSeq() {
        requireL4(IpProto.ICMP, IpProto.ICMPV6);
        return u16(l4Offset + 6);
    }

    /** The checksum field of the TCP, UDP, ICMP or ICMPv6 header. */
    public int l4Checksum() {
        requireL4(IpProto.TCP, IpProto.UDP, IpProto.ICMP, IpProto.ICMPV6);
        return u16(l4Offset + Checksum.checksumFieldOffset(protocol));
    }

    /**
     * Offset of the data after the upper-layer header; for protocols without a
     * parsed header, the start of the upper layer; for non-IP frames, the first
     * byte after the Ethernet and VLAN headers.
     */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** The data up to the end of the IP datagram (Ethernet padding excluded). */
    public byte[] payload() {
        return Arrays.copyOfRange(frame, payloadOffset, ipEnd);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(srcMac()).append(" > ").append(dstMac());
        for (VlanTag tag : vlanTags) {
            text.append(String.format(" vlan 0x%04x/%d", tag.tpid(), tag.vid()));
        }
        if (!isIp()) {
            return text.append(String.format(" ethertype 0x%04x, %d bytes", etherType, frame.length)).toString();
        }
        text.append(" IPv").append(ipVersion).append(' ').append(AddressLiteral.format(srcAddressBytes()))
                .append(" > ").append(AddressLiteral.format(dstAddressBytes())).append(" proto ").append(protocol)
                .append(" ttl ").append(ttl());
        if (fragment) {
            text.append(" fragment offset ").append(fragmentOffset);
        }
        if (hasL4Header()) {
            switch (protocol) {
                case IpProto.TCP -> text.append(" TCP ").append(srcPort()).append(" > ").append(dstPort())
                        .append(' ').append(TcpFlags.describe(tcpFlags())).append(" seq ").append(seq())
                        .append(" ack ").append(ackNumber());
                case IpProto.UDP -> text.append(" UDP ").append(srcPort()).append(" > ").append(dstPort());
                default -> text.append(" ICMP type ").append(icmpType()).append(" code ").append(icmpCode());
            }
        }
        return text.append(", payload ").append(ipEnd - payloadOffset).append(" bytes").toString();
    }

    // ---- helpers

    private void requireIp() {
        if (ipVersion == 0) {
            throw new IllegalStateException(String.format("not an IP frame (ethertype 0x%04x)", etherType));
        }
    }

    private void requireIpv4() {
        if (ipVersion != 4) {
            throw new IllegalStateException(ipVersion == 0 ? "not an IP frame" : "not an IPv4 packet (IPv6)");
        }
    }

    private void requireIpv6() {
        if (ipVersion != 6) {
            throw new IllegalStateException(ipVersion == 0 ? "not an IP frame" : "not an IPv6 packet (IPv4)");
        }
    }

    private void requireL4(int... protocols) {
        requireIp();
        boolean listed = Arrays.stream(protocols).anyMatch(p -> p == protocol);
        if (!listed) {
            throw new IllegalStateException("protocol " + protocol + " has no such field");
        }
        if (!l4HeaderPresent) {
            throw new IllegalStateException("no protocol " + protocol + " header: non-first fragment (offset "
                    + fragmentOffset + ")");
        }
    }

    private InetAddress address(byte[] bytes) {
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] bytes(int offset, int length) {
        return Arrays.copyOfRange(frame, offset, offset + length);
    }

    private int u16(int offset) {
        return (frame[offset] & 0xff) << 8 | (frame[offset + 1] & 0xff);
    }

    private long u32(int offset) {
        return (long) u16(offset) << 16 | u16(offset + 2);
    }
}
