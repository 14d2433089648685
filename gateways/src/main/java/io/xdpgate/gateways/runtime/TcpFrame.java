package io.xdpgate.gateways.runtime;

import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.TcpFlags;
import java.nio.ByteBuffer;

/**
 * The fields of an Ethernet / (VLAN) / IPv4 or IPv6 / TCP frame the runtime needs, parsed in
 * place (one reusable instance: no allocation per frame). Frames come from the packet
 * processor, which already validated them, but nothing here trusts that: any inconsistency
 * makes {@link #parse} answer false.
 */
final class TcpFrame {
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int ETH_P_8021AD = 0x88a8;

    ByteBuffer buf;
    int base;
    int len;
    int l3;
    boolean ipv6;
    int l4;
    int payload;
    int payloadLen;
    int srcPort;
    int dstPort;
    int seq;
    int ack;
    int flags;

    /** Parses {@code len} bytes at {@code base}; false when it is not a well-formed TCP frame. */
    boolean parse(ByteBuffer buf, int base, int len) {
        this.buf = buf;
        this.base = base;
        this.len = len;
        if (len < 14) {
            return false;
        }
        int at = base + 12;
        int type = buf.getShort(at) & 0xffff;
        at += 2;
        for (int tags = 0; (type == ETH_P_8021Q || type == ETH_P_8021AD) && tags < 2; tags++) {
            if (at + 4 > base + len) {
                return false;
            }
            type = buf.getShort(at + 2) & 0xffff;
            at += 4;
        }
        l3 = at;
        int end = base + len;
        int ipEnd;
        if (type == ETH_P_IP) {
            ipv6 = false;
            if (l3 + 20 > end || (buf.get(l3) & 0xf0) != 0x40) {
                return false;
            }
            int ihl = (buf.get(l3) & 0x0f) * 4;
            int total = buf.getShort(l3 + 2) & 0xffff;
            if (ihl < 20 || total < ihl || l3 + total > end || (buf.get(l3 + 9) & 0xff) != IpProto.TCP
                    || (buf.getShort(l3 + 6) & 0x3fff) != 0) {
                return false;
            }
            l4 = l3 + ihl;
            ipEnd = l3 + total;
        } else if (type == ETH_P_IPV6) {
            ipv6 = true;
            if (l3 + 40 > end || (buf.get(l3) & 0xf0) != 0x60 || (buf.get(l3 + 6) & 0xff) != IpProto.TCP) {
                return false; // extension headers: the packet processor's NAT leaves them, we do not take them
            }
            l4 = l3 + 40;
            ipEnd = l4 + (buf.getShort(l3 + 4) & 0xffff);
            if (ipEnd > end) {
                return false;
            }
        } else {
            return false;
        }
        if (l4 + 20 > ipEnd) {
            return false;
        }
        int doff = ((buf.get(l4 + 12) & 0xf0) >>> 4) * 4;
        if (doff < 20 || l4 + doff > ipEnd) {
            return false;
        }
        srcPort = buf.getShort(l4) & 0xffff;
        dstPort = buf.getShort(l4 + 2) & 0xffff;
        seq = buf.getInt(l4 + 4);
        ack = buf.getInt(l4 + 8);
        flags = buf.get(l4 + 13) & 0x3f;
        payload = l4 + doff;
        payloadLen = ipEnd - payload;
        return true;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    byte[] srcAddr() {
        return addr(ipv6 ? l3 + 8 : l3 + 12);
    }

    byte[] dstAddr() {
        return addr(ipv6 ? l3 + 24 : l3 + 16);
    }

    /** Addresses as 16 bytes, IPv4 mapped (::ffff:a.b.c.d) as everywhere in xdpgate. */
    private byte[] addr(int at) {
        byte[] a = new byte[16];
        if (ipv6) {
            buf.get(at, a);
        } else {
            a[10] = (byte) 0xff;
            a[11] = (byte) 0xff;
            buf.get(at, a, 12, 4);
        }
        return a;
    }

    /** Swaps the Ethernet addresses: the frame goes back the way it came. */
    void swapMacs() {
        swapMacs(buf, base);
    }

    /** The same for a frame at {@code base} that is not the one parsed (a held segment). */
    static void swapMacs(ByteBuffer buf, int base) {
        for (int i = 0; i < 6; i++) {
            byte d = buf.get(base + i);
            buf.put(base + i, buf.get(base + 6 + i));
            buf.put(base + 6 + i, d);
        }
    }
}
