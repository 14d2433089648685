package io.xdpgate.gateways.runtime;

import io.xdpgate.abi.Checksum;
import io.xdpgate.abi.IpProto;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds the frames the runtime sends on its own for one connection (TCP resets and refusals,
 * a gateway's UDP answers), in the NAT view the gateway sees, from the link header and
 * endpoints of the connection's first frame. The packet processor restores them like any frame
 * coming back from a gateway.
 */
final class FrameCrafter {
    private static final int TTL = 64;
    /** Advertised window on crafted segments: any non-zero value; the connection ends anyway. */
    private static final int WINDOW = 0xffff;

    private final byte[] link;       // Ethernet (+ VLAN) header of a client-to-gateway frame
    private final boolean ipv6;
    private final byte[] client;     // 4 or 16 bytes
    private final byte[] gateway;
    private final int clientPort;
    private final int gatewayPort;

    /** From a client-to-gateway frame, parsed. */
    FrameCrafter(IpFrame f) {
        link = new byte[f.l3 - f.base];
        f.buf.get(f.base, link);
        ipv6 = f.ipv6;
        client = ip(f.srcAddr());
        gateway = ip(f.dstAddr());
        clientPort = f.srcPort;
        gatewayPort = f.dstPort;
    }

    private byte[] ip(byte[] sixteen) {
        return ipv6 ? sixteen : Arrays.copyOfRange(sixteen, 12, 16);
    }

    /**
     * A segment towards the server (from the client's side) or towards the client (from the
     * server's side), written at {@code at} in {@code out}; returns its length.
     */
    int write(ByteBuffer out, int at, boolean towardsServer, int seq, int ack, int flags, byte[] payload) {
        byte[] frame = build(towardsServer, seq, ack, flags, payload);
        out.put(at, frame);
        return frame.length;
    }

    byte[] build(boolean towardsServer, int seq, int ack, int flags, byte[] payload) {
        int tcpLen = 20 + payload.length;
        byte[] f = frame(towardsServer, IpProto.TCP, tcpLen);
        ByteBuffer b = ByteBuffer.wrap(f);
        int l4 = f.length - tcpLen;
        b.putShort(l4, (short) (towardsServer ? clientPort : gatewayPort));
        b.putShort(l4 + 2, (short) (towardsServer ? gatewayPort : clientPort));
        b.putInt(l4 + 4, seq);
        b.putInt(l4 + 8, ack);
        f[l4 + 12] = 5 << 4;
        f[l4 + 13] = (byte) flags;
        b.putShort(l4 + 14, (short) WINDOW);
        System.arraycopy(payload, 0, f, l4 + 20, payload.length);
        b.putShort(l4 + 16, (short) Checksum.transport(src(towardsServer), dst(towardsServer), IpProto.TCP, f, l4, tcpLen));
        return f;
    }

    /** A UDP datagram towards the client (from the server's side, as the gateway's answer). */
    int writeDatagram(ByteBuffer out, int at, byte[] payload) {
        int udpLen = 8 + payload.length;
        byte[] f = frame(false, IpProto.UDP, udpLen);
        ByteBuffer b = ByteBuffer.wrap(f);
        int l4 = f.length - udpLen;
        b.putShort(l4, (short) gatewayPort);
        b.putShort(l4 + 2, (short) clientPort);
        b.putShort(l4 + 4, (short) udpLen);
        System.arraycopy(payload, 0, f, l4 + 8, payload.length);
        b.putShort(l4 + 6, (short) Checksum.transport(gateway, client, IpProto.UDP, f, l4, udpLen));
        out.put(at, f);
        return f.length;
    }

    private byte[] src(boolean towardsServer) {
        return towardsServer ? client : gateway;
    }

    private byte[] dst(boolean towardsServer) {
        return towardsServer ? gateway : client;
    }

    /** The link and IP headers of a frame carrying {@code l4Len} bytes of {@code proto}, the rest zero. */
    private byte[] frame(boolean towardsServer, int proto, int l4Len) {
        byte[] src = src(towardsServer);
        byte[] dst = dst(towardsServer);
        int ipLen = (ipv6 ? 40 : 20);
        byte[] f = new byte[link.length + ipLen + l4Len];
        ByteBuffer b = ByteBuffer.wrap(f);
        b.put(link);
        // Frames go back out of the gateway end: swap the link addresses of the template (a
        // client-to-gateway frame carries gateway end <- packet processor end).
        IpFrame.swapMacs(b, 0);
        int l3 = link.length;
        if (ipv6) {
            b.putInt(l3, 0x60000000);
            b.putShort(l3 + 4, (short) l4Len);
            f[l3 + 6] = (byte) proto;
            f[l3 + 7] = (byte) TTL;
            System.arraycopy(src, 0, f, l3 + 8, 16);
            System.arraycopy(dst, 0, f, l3 + 24, 16);
        } else {
            f[l3] = 0x45;
            b.putShort(l3 + 2, (short) (ipLen + l4Len));
            b.putShort(l3 + 6, (short) 0x4000); // DF
            f[l3 + 8] = (byte) TTL;
            f[l3 + 9] = (byte) proto;
            System.arraycopy(src, 0, f, l3 + 12, 4);
            System.arraycopy(dst, 0, f, l3 + 16, 4);
            b.putShort(l3 + 10, (short) Checksum.ipv4Header(f, l3));
        }
        return f;
    }
}
