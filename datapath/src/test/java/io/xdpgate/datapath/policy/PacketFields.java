package io.xdpgate.datapath.policy;

import io.xdpgate.abi.AddressLiteral;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Role;
import io.xdpgate.datapath.packet.PacketView;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the kernel classifies a new flow on.
 *
 * <p>Addresses are normalized the way the kernel sees them: an IPv6 address in
 * the IPv4-mapped range becomes the IPv4 address, because the kernel stores
 * IPv4 in that form and cannot tell the two apart.
 *
 * @param port the destination port for TCP and UDP, the message type for ICMP and ICMPv6, else 0
 */
public record PacketFields(InetAddress src, InetAddress dst, int protocol, int port, Role ingressRole) {

    public PacketFields {
        src = normalize(Objects.requireNonNull(src, "src"));
        dst = normalize(Objects.requireNonNull(dst, "dst"));
        Objects.requireNonNull(ingressRole, "ingressRole");
        if (src.getAddress().length != dst.getAddress().length) {
            throw new IllegalArgumentException("source " + src + " and destination " + dst + " differ in family");
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 0..255, got " + protocol);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }

    public static PacketFields of(String src, String dst, int protocol, int port, Role ingressRole) {
        return new PacketFields(AddressLiteral.parse(src), AddressLiteral.parse(dst), protocol, port, ingressRole);
    }

    /** The fields of a parsed packet, as the kernel extracts them. */
    public static PacketFields from(PacketView packet, Role ingressRole) {
        int protocol = packet.protocol();
        int port = !packet.hasL4Header() ? 0 : switch (protocol) {
            case IpProto.TCP, IpProto.UDP -> packet.dstPort();
            case IpProto.ICMP, IpProto.ICMPV6 -> packet.icmpType();
            default -> 0;
        };
        return new PacketFields(packet.srcAddress(), packet.dstAddress(), protocol, port, ingressRole);
    }

    private static InetAddress normalize(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean mapped = bytes.length == 16 && AddressPrefix.ofAddress(bytes).isIpv4();
        return mapped ? AddressLiteral.toInetAddress(Arrays.copyOfRange(bytes, 12, 16)) : address;
    }
}
