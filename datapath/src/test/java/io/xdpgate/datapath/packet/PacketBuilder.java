package io.xdpgate.datapath.packet;

import io.xdpgate.abi.TcpFlags;

import io.xdpgate.abi.MacAddr;

import io.xdpgate.abi.IpProto;

import io.xdpgate.abi.AddressLiteral;

import io.xdpgate.abi.Checksum;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds Ethernet frames byte by byte, for BPF_PROG_TEST_RUN input and for
 * gateways that answer on the wire.
 *
 * <pre>{@code
 * byte[] syn = new PacketBuilder()
 *         .ipv4("198.18.1.2", "198.18.2.3").ttl(63)
 *         .tcp(40000, 80).syn().seq(1000)
 *         .build();
 * }</pre>
 *
 * <p>By default every length and checksum is right. The override methods
 * ({@link #ipv4TotalLength}, {@link #ihl}, {@link #tcpDataOffset},
 * {@link #l4Checksum}, {@link #truncate} ...) each change only the field they
 * name: everything else is computed as for the honest packet, except that the
 * IPv4 header checksum covers the header as written, overridden fields and
 * all, so a wrong length is not also a wrong header checksum.
 *
 * <p>The builder does not fragment: fragment fields are written as given and
 * the upper-layer checksum is computed over this packet's segment alone. For a
 * realistic non-first fragment, use {@link #ipProtocol} with a payload.
 */
public final class PacketBuilder {
    public static final MacAddr DEFAULT_SRC_MAC = MacAddr.parse("02:00:00:00:00:01");
    public static final MacAddr DEFAULT_DST_MAC = MacAddr.parse("02:00:00:00:00:02");

    private static final int NONE = -1;

    private MacAddr srcMac = DEFAULT_SRC_MAC;
    private MacAddr dstMac = DEFAULT_DST_MAC;
    private final List<VlanTag> vlanTags = new ArrayList<>();
    private int etherType = NONE;

    private int ipVersion;
    private byte[] srcAddr;
    private byte[] dstAddr;
    private int ttl = 64;
    private int tos;
    private int ipv4Id;
    private boolean dontFragment;
    private boolean moreFragments;
    private int fragmentOffset;
    private byte[] ipv4Options = new byte[0];
    private int flowLabel;
    private final List<byte[]> ipv6Extensions = new ArrayList<>();

    private int protocol = NONE;
    private boolean writesL4Header;
    private int srcPort;
    private int dstPort;
    private long seq;
    private long ackNumber;
    private int tcpFlags;
    private int window = 65535;
    private int urgentPointer;
    private byte[] tcpOptions = new byte[0];
    private int icmpType;
    private int icmpCode;
    private int icmpRest;
    private byte[] payload = new byte[0];

    private Integer ipv4HeaderChecksum;
    private boolean breakIpv4HeaderChecksum;
    private Integer ipv4TotalLength;
    private Integer ihl;
    private Integer ipv6PayloadLength;
    private Integer tcpDataOffset;
    private Integer udpLength;
    private Integer l4Checksum;
    private boolean breakL4Checksum;
    private int padTo;
    private int truncateTo = NONE;

    // ---- Ethernet

    public PacketBuilder srcMac(String mac) {
        return srcMac(MacAddr.parse(mac));
    }

    public PacketBuilder srcMac(MacAddr mac) {
        this.srcMac = mac;
        return this;
    }

    public PacketBuilder dstMac(String mac) {
        return dstMac(MacAddr.parse(mac));
    }

    public PacketBuilder dstMac(MacAddr mac) {
        this.dstMac = mac;
        return this;
    }

    /** Adds an 802.1Q tag; tags are written in the order added, outermost first. */
    public PacketBuilder vlan(int vid) {
        return vlan(VlanTag.dot1q(vid));
    }

    public PacketBuilder vlan(VlanTag tag) {
        vlanTags.add(tag);
        return this;
    }

    /** An 802.1ad service tag (outer) followed by an 802.1Q customer tag (inner). */
    public PacketBuilder qinq(int outerVid, int innerVid) {
        return vlan(VlanTag.dot1ad(outerVid)).vlan(VlanTag.dot1q(innerVid));
    }

    /**
     * The type after the VLAN tags. Required for a non-IP frame (whose body is
     * the {@link #payload}); for an IP frame it overrides 0x0800/0x86dd.
     */
    public PacketBuilder etherType(int type) {
        this.etherType = checkRange("ethertype", type, 0, 0xffff);
        return this;
    }

    // ---- IP

    public PacketBuilder ipv4(String src, String dst) {
        return ipv4(ipv4Bytes(src), ipv4Bytes(dst));
    }

    public PacketBuilder ipv4(InetAddress src, InetAddress dst) {
        if (!(src instanceof Inet4Address) || !(dst instanceof Inet4Address)) {
            throw new IllegalArgumentException("ipv4() needs two IPv4 addresses, got " + src + " and " + dst);
        }
        return ipv4(src.getAddress(), dst.getAddress());
    }

    private PacketBuilder ipv4(byte[] src, byte[] dst) {
        this.ipVersion = 4;
        this.srcAddr = src;
        this.dstAddr = dst;
        return this;
    }

    public PacketBuilder ipv6(String src, String dst) {
        return ipv6(ipv6Bytes(src), ipv6Bytes(dst));
    }

    public PacketBuilder ipv6(InetAddress src, InetAddress dst) {
        if (!(src instanceof Inet6Address) || !(dst instanceof Inet6Address)) {
            throw new IllegalArgumentException("ipv6() needs two IPv6 addresses, got " + src + " and " + dst);
        }
        return ipv6(src.getAddress(), dst.getAddress());
    }

    private PacketBuilder ipv6(byte[] src, byte[] dst) {
        this.ipVersion = 6;
        this.srcAddr = src;
        this.dstAddr = dst;
        return this;
    }

    /** IPv4 TTL or IPv6 hop limit; default 64. */
    public PacketBuilder ttl(int ttl) {
        this.ttl = checkRange("TTL", ttl, 0, 255);
        return this;
    }

    public PacketBuilder hopLimit(int hopLimit) {
        return ttl(hopLimit);
    }

    /** IPv4 type of service or IPv6 traffic class. */
    public PacketBuilder tos(int tos) {
        this.tos = checkRange("TOS / traffic class", tos, 0, 255);
        return this;
    }

    public PacketBuilder ipv4Id(int id) {
        this.ipv4Id = checkRange("IPv4 id", id, 0, 0xffff);
        return this;
    }

    public PacketBuilder dontFragment() {
        this.dontFragment = true;
        return this;
    }

    public PacketBuilder moreFragments() {
        this.moreFragments = true;
        return this;
    }

    /** IPv4 fragment offset in 8-byte units. */
    public PacketBuilder fragmentOffset(int units) {
        this.fragmentOffset = checkRange("fragment offset", units, 0, 0x1fff);
        return this;
    }

    /** IPv4 options; padded with zero (end of options) to a multiple of 4, at most 40 bytes. */
    public PacketBuilder ipv4Options(byte[] options) {
        if (options.length > 40) {
            throw new IllegalArgumentException("IPv4 options are at most 40 bytes, got " + options.length);
        }
        this.ipv4Options = padZeros(options, 4);
        return this;
    }

    public PacketBuilder flowLabel(int label) {
        this.flowLabel = checkRange("flow label", label, 0, 0xfffff);
        return this;
    }

    /**
     * Adds a hop-by-hop options header. {@code options} are TLV-encoded
     * options; Pad1/PadN padding to a multiple of 8 is added. Extension headers
     * are written in the order added.
     */
    public PacketBuilder hopByHop(byte[] options) {
        return optionsHeader(IpProto.HOP_BY_HOP, options);
    }

    /** Adds a destination options header; see {@link #hopByHop}. */
    public PacketBuilder destinationOptions(byte[] options) {
        return optionsHeader(IpProto.DESTINATION_OPTIONS, options);
    }

    /**
     * Adds a routing header. {@code data} is everything after the first four
     * bytes (for type 0 and 2: four reserved bytes, then the addresses), padded
     * with zeros to a multiple of 8. With segments left, the upper-layer
     * checksum uses the final destination the header names.
     */
    public PacketBuilder routingHeader(int type, int segmentsLeft, byte[] data) {
        checkRange("routing type", type, 0, 255);
        checkRange("segments left", segmentsLeft, 0, 255);
        byte[] header = extensionHeader(4 + data.length);
        header[2] = (byte) type;
        header[3] = (byte) segmentsLeft;
        System.arraycopy(data, 0, header, 4, data.length);
        ipv6Extensions.add(tagged(IpProto.ROUTING, header));
        return this;
    }

    /** Adds a fragment header; {@code offset} in 8-byte units. */
    public PacketBuilder fragmentHeader(int offset, boolean more, long identification) {
        checkRange("fragment offset", offset, 0, 0x1fff);
        byte[] header = new byte[8];
        int field = offset << 3 | (more ? 1 : 0);
        header[2] = (byte) (field >>> 8);
        header[3] = (byte) field;
        putU32(header, 4, identification);
        ipv6Extensions.add(tagged(IpProto.FRAGMENT, header));
        return this;
    }

    // ---- upper layer

    public PacketBuilder tcp(int srcPort, int dstPort) {
        return upperLayer(IpProto.TCP).ports(srcPort, dstPort);
    }

    public PacketBuilder udp(int srcPort, int dstPort) {
        return upperLayer(IpProto.UDP).ports(srcPort, dstPort);
    }

    public PacketBuilder icmp(int type, int code) {
        return icmp(type, code, 0, 0);
    }

    /** ICMP for IPv4; {@code id} and {@code seq} fill bytes 4-7 (as echo messages use them). */
    public PacketBuilder icmp(int type, int code, int id, int seq) {
        return upperLayer(IpProto.ICMP).icmpFields(type, code, id, seq);
    }

    public PacketBuilder icmpEchoRequest(int id, int seq) {
        return icmp(8, 0, id, seq);
    }

    public PacketBuilder icmpEchoReply(int id, int seq) {
        return icmp(0, 0, id, seq);
    }

    /** ICMPv6; messages beyond echo (neighbour solicitation = 135 ...) take their body from {@link #payload}. */
    public PacketBuilder icmpv6(int type, int code) {
        return icmpv6(type, code, 0, 0);
    }

    public PacketBuilder icmpv6(int type, int code, int id, int seq) {
        return upperLayer(IpProto.ICMPV6).icmpFields(type, code, id, seq);
    }

    public PacketBuilder icmpv6EchoRequest(int id, int seq) {
        return icmpv6(128, 0, id, seq);
    }

    public PacketBuilder icmpv6EchoReply(int id, int seq) {
        return icmpv6(129, 0, id, seq);
    }

    /** An upper layer the builder writes no header for: the payload follows the IP header directly. */
    public PacketBuilder ipProtocol(int protocol) {
        this.protocol = checkRange("IP protocol", protocol, 0, 255);
        this.writesL4Header = false;
        return this;
    }

    public PacketBuilder seq(long seq) {
        this.seq = checkU32("sequence number", seq);
        return this;
    }

    public PacketBuilder ackNumber(long ack) {
        this.ackNumber = checkU32("acknowledgment number", ack);
        return this;
    }

    /** Sets the whole TCP flags byte; see {@link TcpFlags}. */
    public PacketBuilder tcpFlags(int flags) {
        this.tcpFlags = checkRange("TCP flags", flags, 0, 0xff);
        return this;
    }

    public PacketBuilder syn() {
        return tcpFlags(tcpFlags | TcpFlags.SYN);
    }

    /** The ACK flag; the number is {@link #ackNumber}. */
    public PacketBuilder ack() {
        return tcpFlags(tcpFlags | TcpFlags.ACK);
    }

    public PacketBuilder fin() {
        return tcpFlags(tcpFlags | TcpFlags.FIN);
    }

    public PacketBuilder rst() {
        return tcpFlags(tcpFlags | TcpFlags.RST);
    }

    public PacketBuilder psh() {
        return tcpFlags(tcpFlags | TcpFlags.PSH);
    }

    public PacketBuilder urg() {
        return tcpFlags(tcpFlags | TcpFlags.URG);
    }

    public PacketBuilder window(int window) {
        this.window = checkRange("window", window, 0, 0xffff);
        return this;
    }

    public PacketBuilder urgentPointer(int pointer) {
        this.urgentPointer = checkRange("urgent pointer", pointer, 0, 0xffff);
        return this;
    }

    /** TCP options; padded with zero (end of option list) to a multiple of 4, at most 40 bytes. */
    public PacketBuilder tcpOptions(byte[] options) {
        if (options.length > 40) {
            throw new IllegalArgumentException("TCP options are at most 40 bytes, got " + options.length);
        }
        this.tcpOptions = padZeros(options, 4);
        return this;
    }

    public PacketBuilder payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    /** The text's US-ASCII bytes. */
    public PacketBuilder payload(String text) {
        return payload(text.getBytes(StandardCharsets.US_ASCII));
    }

    // ---- overrides

    public PacketBuilder ipv4HeaderChecksum(int value) {
        this.ipv4HeaderChecksum = checkRange("IPv4 header checksum", value, 0, 0xffff);
        return this;
    }

    /** Writes a header checksum that is wrong whatever else is overridden. */
    public PacketBuilder breakIpv4HeaderChecksum() {
        this.breakIpv4HeaderChecksum = true;
        return this;
    }

    public PacketBuilder ipv4TotalLength(int value) {
        this.ipv4TotalLength = checkRange("IPv4 total length", value, 0, 0xffff);
        return this;
    }

    /** The IHL field (in 32-bit words), whatever the header's real length. */
    public PacketBuilder ihl(int words) {
        this.ihl = checkRange("IHL", words, 0, 15);
        return this;
    }

    public PacketBuilder ipv6PayloadLength(int value) {
        this.ipv6PayloadLength = checkRange("IPv6 payload length", value, 0, 0xffff);
        return this;
    }

    /** The TCP data offset field (in 32-bit words), whatever the header's real length. */
    public PacketBuilder tcpDataOffset(int words) {
        this.tcpDataOffset = checkRange("TCP data offset", words, 0, 15);
        return this;
    }

    public PacketBuilder udpLength(int value) {
        this.udpLength = checkRange("UDP length", value, 0, 0xffff);
        return this;
    }

    /** Writes this value into the TCP/UDP/ICMP/ICMPv6 checksum field (0 = "none" for IPv4 UDP). */
    public PacketBuilder l4Checksum(int value) {
        this.l4Checksum = checkRange("L4 checksum", value, 0, 0xffff);
        return this;
    }

    /** Writes an upper-layer checksum that is wrong (and, for UDP, not 0). */
    public PacketBuilder breakL4Checksum() {
        this.breakL4Checksum = true;
        return this;
    }

    /** Appends zero bytes after the IP datagram until the frame is {@code length} long (Ethernet minimum: 60). */
    public PacketBuilder padTo(int length) {
        this.padTo = checkRange("pad length", length, 0, Integer.MAX_VALUE);
        return this;
    }

    /** Cuts the finished frame (after padding) to its first {@code length} bytes. */
    public PacketBuilder truncate(int length) {
        this.truncateTo = checkRange("truncate length", length, 0, Integer.MAX_VALUE);
        return this;
    }

    // ---- build

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(dstMac.bytes());
        out.writeBytes(srcMac.bytes());
        for (VlanTag tag : vlanTags) {
            writeU16(out, tag.tpid());
            writeU16(out, tag.tci());
        }
        if (ipVersion == 0) {
            if (etherType == NONE) {
                throw new IllegalStateException("a frame without ipv4()/ipv6() needs an etherType()");
            }
            writeU16(out, etherType);
            out.writeBytes(payload);
            return finish(out.toByteArray());
        }
        if (protocol == NONE) {
            throw new IllegalStateException("choose an upper layer: tcp(), udp(), icmp(), icmpv6() or ipProtocol()");
        }
        writeU16(out, etherType != NONE ? etherType : ipVersion == 4 ? EtherTypes.IPV4 : EtherTypes.IPV6);
        int l3Offset = out.size();
        byte[] upper = upperLayerBytes();
        byte[] ipHeaders = ipVersion == 4 ? ipv4Header(upper.length) : ipv6Headers(upper.length);
        out.writeBytes(ipHeaders);
        int l4Offset = out.size();
        out.writeBytes(upper);
        byte[] frame = out.toByteArray();

        if (writesL4Header) {
            int field = l4Offset + Checksum.checksumFieldOffset(protocol);
            int correct = Checksum.transport(srcAddr, checksumDestination(ipHeaders), protocol, frame, l4Offset, upper.length);
            putU16(frame, field, breakL4Checksum ? broken(correct) : l4Checksum != null ? l4Checksum : correct);
        }
        if (ipVersion == 4) {
            int headerLength = ipHeaders.length;
            int correct = Checksum.internetChecksum(frame, l3Offset, headerLength);
            putU16(frame, l3Offset + 10, breakIpv4HeaderChecksum ? broken(correct)
                    : ipv4HeaderChecksum != null ? ipv4HeaderChecksum : correct);
        }
        return finish(frame);
    }

    private byte[] finish(byte[] frame) {
        byte[] padded = frame.length < padTo ? Arrays.copyOf(frame, padTo) : frame;
        if (truncateTo == NONE) {
            return padded;
        }
        if (truncateTo > padded.length) {
            throw new IllegalStateException("truncate(" + truncateTo + ") but the frame is only " + padded.length + " bytes");
        }
        return Arrays.copyOf(padded, truncateTo);
    }

    private byte[] upperLayerBytes() {
        if (!writesL4Header) {
            return payload.clone();
        }
        byte[] header = switch (protocol) {
            case IpProto.TCP -> tcpHeader();
            case IpProto.UDP -> udpHeader();
            default -> icmpHeader();
        };
        byte[] segment = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, segment, header.length, payload.length);
        return segment;
    }

    private byte[] tcpHeader() {
        byte[] h = new byte[20 + tcpOptions.length];
        putU16(h, 0, srcPort);
        putU16(h, 2, dstPort);
        putU32(h, 4, seq);
        putU32(h, 8, ackNumber);
        h[12] = (byte) ((tcpDataOffset != null ? tcpDataOffset : h.length / 4) << 4);
        h[13] = (byte) tcpFlags;
        putU16(h, 14, window);
        putU16(h, 18, urgentPointer);
        System.arraycopy(tcpOptions, 0, h, 20, tcpOptions.length);
        return h;
    }

    private byte[] udpHeader() {
        byte[] h = new byte[8];
        putU16(h, 0, srcPort);
        putU16(h, 2, dstPort);
        putU16(h, 4, udpLength != null ? udpLength : 8 + payload.length);
        return h;
    }

    private byte[] icmpHeader() {
        byte[] h = new byte[8];
        h[0] = (byte) icmpType;
        h[1] = (byte) icmpCode;
        putU32(h, 4, icmpRest & 0xffff_ffffL);
        return h;
    }

    private byte[] ipv4Header(int upperLength) {
        byte[] h = new byte[20 + ipv4Options.length];
        h[0] = (byte) (0x40 | (ihl != null ? ihl : h.length / 4));
        h[1] = (byte) tos;
        putU16(h, 2, ipv4TotalLength != null ? ipv4TotalLength : checkRange("IPv4 total length", h.length + upperLength, 0, 0xffff));
        putU16(h, 4, ipv4Id);
        putU16(h, 6, (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | fragmentOffset);
        h[8] = (byte) ttl;
        h[9] = (byte) protocol;
        System.arraycopy(srcAddr, 0, h, 12, 4);
        System.arraycopy(dstAddr, 0, h, 16, 4);
        System.arraycopy(ipv4Options, 0, h, 20, ipv4Options.length);
        return h;
    }

    /** The fixed IPv6 header followed by the extension headers, chained by their next-header bytes. */
    private byte[] ipv6Headers(int upperLength) {
        int extLength = ipv6Extensions.stream().mapToInt(e -> e.length - 1).sum();
        byte[] h = new byte[40 + extLength];
        putU32(h, 0, 6L << 28 | (long) tos << 20 | flowLabel);
        putU16(h, 4, ipv6PayloadLength != null ? ipv6PayloadLength
                : checkRange("IPv6 payload length", extLength + upperLength, 0, 0xffff));
        h[7] = (byte) ttl;
        System.arraycopy(srcAddr, 0, h, 8, 16);
        System.arraycopy(dstAddr, 0, h, 24, 16);
        int nextHeaderAt = 6;
        int at = 40;
        for (byte[] tagged : ipv6Extensions) {
            h[nextHeaderAt] = tagged[0];
            System.arraycopy(tagged, 1, h, at, tagged.length - 1);
            nextHeaderAt = at;
            at += tagged.length - 1;
        }
        h[nextHeaderAt] = (byte) protocol;
        return h;
    }

    /** For IPv6, the final destination of a routing header among {@code ipHeaders} (RFC 8200 8.1). */
    private byte[] checksumDestination(byte[] ipHeaders) {
        byte[] destination = dstAddr;
        int at = 40;
        for (byte[] tagged : ipv6Extensions) {
            int length = tagged.length - 1;
            if (ipVersion == 6 && tagged[0] == IpProto.ROUTING) {
                byte[] named = Ipv6RoutingHeaders.finalDestination(ipHeaders, at, length);
                destination = named != null ? named : destination;
            }
            at += length;
        }
        return destination;
    }

    // ---- helpers

    private PacketBuilder upperLayer(int protocol) {
        this.protocol = protocol;
        this.writesL4Header = true;
        return this;
    }

    private PacketBuilder ports(int src, int dst) {
        this.srcPort = checkRange("source port", src, 0, 0xffff);
        this.dstPort = checkRange("destination port", dst, 0, 0xffff);
        return this;
    }

    private PacketBuilder icmpFields(int type, int code, int id, int seq) {
        this.icmpType = checkRange("ICMP type", type, 0, 255);
        this.icmpCode = checkRange("ICMP code", code, 0, 255);
        this.icmpRest = checkRange("ICMP id", id, 0, 0xffff) << 16 | checkRange("ICMP sequence", seq, 0, 0xffff);
        return this;
    }

    private PacketBuilder optionsHeader(int type, byte[] options) {
        byte[] header = extensionHeader(2 + options.length);
        System.arraycopy(options, 0, header, 2, options.length);
        int pad = header.length - 2 - options.length;
        int padAt = 2 + options.length;
        if (pad == 1) {
            header[padAt] = 0; // Pad1
        } else if (pad > 1) {
            header[padAt] = 1; // PadN
            header[padAt + 1] = (byte) (pad - 2);
        }
        ipv6Extensions.add(tagged(type, header));
        return this;
    }

    /** A zeroed extension header of at least {@code contentLength} bytes, rounded up to 8, its length byte set. */
    private static byte[] extensionHeader(int contentLength) {
        int length = (contentLength + 7) / 8 * 8;
        if (length > 2048) {
            throw new IllegalArgumentException("an IPv6 extension header is at most 2048 bytes, this one needs " + length);
        }
        byte[] header = new byte[length];
        header[1] = (byte) (length / 8 - 1);
        return header;
    }

    /** The header prefixed with its own type, which becomes the previous header's next-header byte. */
    private static byte[] tagged(int type, byte[] header) {
        byte[] tagged = new byte[header.length + 1];
        tagged[0] = (byte) type;
        System.arraycopy(header, 0, tagged, 1, header.length);
        return tagged;
    }

    /** A value a receiver rejects in place of {@code correct}; never 0 or 0xffff, which some readers treat alike. */
    private static int broken(int correct) {
        int value = correct ^ 0x0f0f;
        return value == 0 || value == 0xffff ? correct ^ 0x00f0 : value;
    }

    private static byte[] ipv4Bytes(String text) {
        byte[] bytes = AddressLiteral.parseBytes(text);
        if (bytes.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
        }
        return bytes;
    }

    private static byte[] ipv6Bytes(String text) {
        byte[] bytes = AddressLiteral.parseBytes(text);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"");
        }
        return bytes;
    }

    private static byte[] padZeros(byte[] data, int multiple) {
        return Arrays.copyOf(data, (data.length + multiple - 1) / multiple * multiple);
    }

    private static int checkRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    private static long checkU32(String what, long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(what + " must fit 32 unsigned bits, got " + value);
        }
        return value;
    }

    private static void writeU16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private static void putU16(byte[] buf, int at, int value) {
        buf[at] = (byte) (value >>> 8);
        buf[at + 1] = (byte) value;
    }

    private static void putU32(byte[] buf, int at, long value) {
        putU16(buf, at, (int) (value >>> 16) & 0xffff);
        putU16(buf, at + 2, (int) value & 0xffff);
    }
}
