package io.xdpgate.gateways.runtime;

import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.TcpFlags;
import java.nio.ByteBuffer;

/**
 * The fields of an Ethernet / (VLAN) / IPv4 or IPv6 / TCP or UDP frame the runtime needs, parsed
 * in place (one reusable instance: no allocation per frame). Frames come from the packet
 * processor, which already validated them, but nothing here trusts that: any inconsistency
 * makes {@link #parse} answer false. What a receiver would judge beyond the structure (the
 * checksums, the TCP options) is read here too, for the runtime's normalization to decide on.
 */
final class IpFrame {
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int ETH_P_8021AD = 0x88a8;
    /** TCP option kinds (IANA): end, no-op, MSS, window scale, SACK permitted, SACK, timestamps, MD5, AO. */
    private static final int OPT_END = 0;
    private static final int OPT_NOP = 1;
    private static final int OPT_WSCALE = 3;
    private static final int OPT_TIMESTAMPS = 8;
    private static final int OPT_MD5 = 19;
    private static final int OPT_AO = 29;
    /** RFC 7323 2.3: a scale above 14 is taken as 14. */
    static final int WSCALE_MAX = 14;

    ByteBuffer buf;
    int base;
    int len;
    int l3;
    boolean ipv6;
    int l4;
    /** {@link IpProto#TCP} or {@link IpProto#UDP}; the TCP fields below are meaningless for UDP. */
    int proto;
    int payload;
    int payloadLen;
    int srcPort;
    int dstPort;
    int seq;
    int ack;
    /** The six classic flag bits (FIN to URG); ECE and CWR are left out. */
    int flags;
    /** IPv4 TTL or IPv6 hop limit. */
    int ttl;
    /** IPv4 header length beyond the fixed 20 bytes. */
    int ipOptionsLen;
    /** The advertised window as written (unscaled). */
    int window;
    int urgentPointer;
    /** The TCP option list follows the rules (every length at least 2 and inside the header, none twice). */
    boolean optionsWellFormed;
    /** It carries a TCP-MD5 (RFC 2385) or TCP-AO (RFC 5925) signature. */
    boolean signed;
    /** The window scale option (SYN only), capped at 14, or -1. */
    int wscale;
    boolean hasTimestamps;
    int tsVal;
    int tsEcr;

    /** Parses {@code len} bytes at {@code base}; false when it is not a well-formed TCP or UDP frame. */
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
            proto = buf.get(l3 + 9) & 0xff;
            if (ihl < 20 || total < ihl || l3 + total > end || !isTransport(proto)
                    || (buf.getShort(l3 + 6) & 0x3fff) != 0) {
                return false; // fragments too: the gateway would judge a datagram the receiver reassembles differently
            }
            l4 = l3 + ihl;
            ipEnd = l3 + total;
            ttl = buf.get(l3 + 8) & 0xff;
            ipOptionsLen = ihl - 20;
        } else if (type == ETH_P_IPV6) {
            ipv6 = true;
            if (l3 + 40 > end || (buf.get(l3) & 0xf0) != 0x60) {
                return false;
            }
            proto = buf.get(l3 + 6) & 0xff;
            if (!isTransport(proto)) {
                return false; // extension headers: the packet processor's NAT leaves them, we do not take them
            }
            l4 = l3 + 40;
            ipEnd = l4 + (buf.getShort(l3 + 4) & 0xffff);
            ttl = buf.get(l3 + 7) & 0xff;
            ipOptionsLen = 0;
            if (ipEnd > end) {
                return false;
            }
        } else {
            return false;
        }
        if (proto == IpProto.UDP) {
            return parseUdp(ipEnd);
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
        window = buf.getShort(l4 + 14) & 0xffff;
        urgentPointer = buf.getShort(l4 + 18) & 0xffff;
        payload = l4 + doff;
        payloadLen = ipEnd - payload;
        parseOptions(l4 + 20, payload);
        return true;
    }

    private static boolean isTransport(int proto) {
        return proto == IpProto.TCP || proto == IpProto.UDP;
    }

    /**
     * The UDP header's length must be exactly what the IP header leaves: with a shorter one
     * receivers ignore the bytes after it, which the gateway would otherwise have judged (or
     * not), and a longer one they drop.
     */
    private boolean parseUdp(int ipEnd) {
        if (l4 + 8 > ipEnd || (buf.getShort(l4 + 4) & 0xffff) != ipEnd - l4) {
            return false;
        }
        srcPort = buf.getShort(l4) & 0xffff;
        dstPort = buf.getShort(l4 + 2) & 0xffff;
        seq = ack = flags = window = urgentPointer = 0;
        payload = l4 + 8;
        payloadLen = ipEnd - payload;
        optionsWellFormed = true;
        signed = false;
        wscale = -1;
        hasTimestamps = false;
        return true;
    }

    /**
     * Walks the option list as receivers do (RFC 9293 3.1): end, no-op, then kind-length-value.
     * A length below 2 or past the header, a timestamp or window-scale option of the wrong
     * length, or one of them twice makes the list ill-formed: receivers differ on where such
     * a list stops meaning something.
     */
    private void parseOptions(int at, int end) {
        optionsWellFormed = true;
        signed = false;
        wscale = -1;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
        while (at < end) {
            int kind = buf.get(at) & 0xff;
            if (kind == OPT_END) {
                return;
            }
            if (kind == OPT_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                optionsWellFormed = false;
                return;
            }
            int optLen = buf.get(at + 1) & 0xff;
            if (optLen < 2 || at + optLen > end) {
                optionsWellFormed = false;
                return;
            }
            switch (kind) {
                case OPT_WSCALE -> {
                    if (optLen != 3 || wscale >= 0) {
                        optionsWellFormed = false;
                    } else {
                        wscale = Math.min(buf.get(at + 2) & 0xff, WSCALE_MAX);
                    }
                }
                case OPT_TIMESTAMPS -> {
                    if (optLen != 10 || hasTimestamps) {
                        optionsWellFormed = false;
                    } else {
                        hasTimestamps = true;
                        tsVal = buf.getInt(at + 2);
                        tsEcr = buf.getInt(at + 6);
                    }
                }
                case OPT_MD5, OPT_AO -> signed = true;
                default -> {
                }
            }
            at += optLen;
        }
    }

    /**
     * Whether the IPv4 header checksum (IPv4) and the TCP or UDP checksum over its pseudo-header
     * are right, as a receiver checks them. A UDP checksum of zero means none over IPv4 (RFC 768)
     * and is refused over IPv6, as receivers do (RFC 8200 8.1).
     */
    boolean checksumsValid() {
        int l4Len = payload + payloadLen - l4;
        if (!ipv6 && fold(sum(0, l3, 20 + ipOptionsLen)) != 0xffff) {
            return false;
        }
        if (proto == IpProto.UDP && buf.getShort(l4 + 6) == 0) {
            return !ipv6;
        }
        long acc;
        if (ipv6) {
            acc = sum(0, l3 + 8, 32) + proto + (l4Len >>> 16) + (l4Len & 0xffff);
        } else {
            acc = sum(0, l3 + 12, 8) + proto + l4Len;
        }
        return fold(sum(acc, l4, l4Len)) == 0xffff;
    }

    /**
     * Big-endian 16-bit words of [at, at + n) added to {@code acc}; an odd last byte is padded.
     * Eight bytes at a time as two 32-bit words: the one's complement sum is the same at any word
     * width (2^16 - 1 divides 2^32 - 1), folded at the end, and this loop is most of the
     * runtime's own time per frame.
     */
    private long sum(long acc, int at, int n) {
        int end = at + n;
        int i = at;
        for (; i + 8 <= end; i += 8) {
            long v = buf.getLong(i);
            acc += (v >>> 32) + (v & 0xffffffffL);
        }
        for (; i + 4 <= end; i += 4) {
            int v = buf.getInt(i);
            acc += (v >>> 16) + (v & 0xffff);
        }
        for (; i + 2 <= end; i += 2) {
            acc += buf.getShort(i) & 0xffff;
        }
        if (i < end) {
            acc += (buf.get(i) & 0xff) << 8;
        }
        return acc;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /**
     * Clears the URG flag and the urgent pointer in place and updates the TCP checksum for the
     * two changed words (RFC 1624): the bytes stay where they are, in band.
     */
    void clearUrgent() {
        int word = buf.getShort(l4 + 12) & 0xffff;
        int cleared = word & ~TcpFlags.URG;
        int pointer = buf.getShort(l4 + 18) & 0xffff;
        buf.putShort(l4 + 12, (short) cleared);
        buf.putShort(l4 + 18, (short) 0);
        int check = buf.getShort(l4 + 16) & 0xffff;
        long acc = (~check & 0xffff) + (~word & 0xffff) + cleared + (~pointer & 0xffff);
        buf.putShort(l4 + 16, (short) ~fold(acc));
        flags &= ~TcpFlags.URG;
        urgentPointer = 0;
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
