package io.xdpgate.datapath.packet;

import io.xdpgate.abi.IpProto;

import io.xdpgate.abi.AddressLiteral;

import io.xdpgate.abi.Checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Frames whose every byte, checksums included, was worked out by hand (the
 * sums are in the comments), compared with what the builder produces and what
 * the checksum code computes. If these fail, trust the comments and re-add.
 */
class ReferencePacketsTest {

    /*
     * TCP SYN over IPv4: 198.18.1.2:40000 -> 198.18.2.3:80, id 0x1234, DF, TTL 64, seq 1000, window 65535.
     *
     * IPv4 header words: 4500 0028 1234 4000 4006 [0000] c612 0102 c612 0203
     *   4500+0028+1234+4000+4006 = d762; +c612 = 19d74; +0102 = 19e76; +c612 = 26488; +0203 = 2668b
     *   fold 668b+2 = 668d, complement = 9972
     * TCP pseudo-header: c612+0102+c612+0203 = 18f29; +0006 (proto) = 18f2f; +0014 (length 20) = 18f43
     * TCP words: 9c40 0050 0000 03e8 0000 0000 5002 ffff [0000] 0000
     *   9c40+0050+03e8+5002+ffff = 1f079
     *   18f43+1f079 = 37fbc, fold 7fbc+3 = 7fbf, complement = 8040
     */
    static final String TCP_IPV4_SYN = """
            020000000002 020000000001 0800
            4500 0028 1234 4000 4006 9972 c612 0102 c612 0203
            9c40 0050 000003e8 00000000 5002 ffff 8040 0000
            """;

    /*
     * UDP over IPv6: [2001:db8:1::2]:40001 -> [2001:db8:2::3]:53, flow label 0x12345, hop limit 64, payload "abc".
     *
     * Pseudo-header: src 2001+0db8+0001+0002 = 2dbc; dst 2001+0db8+0002+0003 = 2dbe; sum 5b7a;
     *   +000b (length 11) = 5b85; +0011 (next header) = 5b96
     * UDP words: 9c41 0035 000b [0000] 6162 6300 (odd byte padded)
     *   9c41+0035+000b+6162+6300 = 160e3
     *   5b96+160e3 = 1bc79, fold bc79+1 = bc7a, complement = 4385
     */
    static final String UDP_IPV6 = """
            020000000002 020000000001 86dd
            6001 2345 000b 11 40
            20010db8000100000000000000000002
            20010db8000200000000000000000003
            9c41 0035 000b 4385 616263
            """;

    /*
     * ICMPv6 echo request 2001:db8:1::2 -> 2001:db8:2::3, id 7, seq 1, payload "ping".
     *
     * Pseudo-header: addresses 5b7a (as above); +000c (length 12) = 5b86; +003a (next header 58) = 5bc0
     * ICMPv6 words: 8000 [0000] 0007 0001 7069 6e67
     *   8000+0007+0001+7069+6e67 = 15ed8
     *   5bc0+15ed8 = 1ba98, fold ba98+1 = ba99, complement = 4566
     */
    static final String ICMPV6_ECHO = """
            020000000002 020000000001 86dd
            6000 0000 000c 3a 40
            20010db8000100000000000000000002
            20010db8000200000000000000000003
            80 00 4566 0007 0001 70696e67
            """;

    /*
     * UDP over IPv4 whose computed checksum is 0, which must go out as ffff:
     * 198.18.1.2:1000 -> 198.18.2.3:2000, payload word W.
     * Pseudo-header 18f29 +0011 +000a = 18f44; UDP 03e8+07d0+000a = 0bc2; sum 19b06, fold 9b07.
     * W = ~9b07 = 64f8 makes the sum ffff and its complement 0.
     * IPv4 header: 4500+001e+4011 = 852f; +c612+0102+c612+0203 = 21458; fold 145a, complement eba5.
     */
    static final String UDP_IPV4_ZERO_SUM = """
            020000000002 020000000001 0800
            4500 001e 0000 0000 4011 eba5 c612 0102 c612 0203
            03e8 07d0 000a ffff 64f8
            """;

    @Test
    void rfc1071NumericalExample() {
        byte[] data = Hex.bytes("0001 f203 f4f5 f6f7");
        assertEquals(0x2ddf0, Checksum.sum(data, 0, data.length));
        assertEquals(0xddf2, Checksum.fold(0x2ddf0));
        assertEquals(0x220d, Checksum.internetChecksum(data, 0, data.length));
    }

    @Test
    void tcpOverIpv4() {
        byte[] expected = Hex.bytes(TCP_IPV4_SYN);
        byte[] built = new PacketBuilder()
                .ipv4("198.18.1.2", "198.18.2.3").ipv4Id(0x1234).dontFragment().ttl(64)
                .tcp(40000, 80).seq(1000).syn()
                .build();
        assertEquals(Hex.of(expected), Hex.of(built));
        assertEquals(0x9972, Checksum.ipv4Header(expected, 14));
        assertEquals(0x8040, Checksum.transport(Hex.bytes("c6120102"), Hex.bytes("c6120203"), IpProto.TCP,
                expected, 34, 20));
        assertTrue(ChecksumVerifier.verify(expected).allCorrect(), () -> ChecksumVerifier.verify(expected).toString());
    }

    @Test
    void udpOverIpv6() {
        byte[] expected = Hex.bytes(UDP_IPV6);
        byte[] built = new PacketBuilder()
                .ipv6("2001:db8:1::2", "2001:db8:2::3").flowLabel(0x12345).hopLimit(64)
                .udp(40001, 53).payload("abc")
                .build();
        assertEquals(Hex.of(expected), Hex.of(built));
        assertEquals(0x4385, Checksum.transport(AddressLiteral.parseBytes("2001:db8:1::2"),
                AddressLiteral.parseBytes("2001:db8:2::3"), IpProto.UDP, expected, 54, 11));
        ChecksumReport report = ChecksumVerifier.verify(expected);
        assertTrue(report.allCorrect(), report::toString);
        assertEquals(ChecksumStatus.NOT_APPLICABLE, report.ipv4Header().status());
    }

    @Test
    void icmpv6Echo() {
        byte[] expected = Hex.bytes(ICMPV6_ECHO);
        byte[] built = new PacketBuilder()
                .ipv6("2001:db8:1::2", "2001:db8:2::3")
                .icmpv6EchoRequest(7, 1).payload("ping")
                .build();
        assertEquals(Hex.of(expected), Hex.of(built));
        assertEquals(0x4566, Checksum.transport(AddressLiteral.parseBytes("2001:db8:1::2"),
                AddressLiteral.parseBytes("2001:db8:2::3"), IpProto.ICMPV6, expected, 54, 12));
        assertTrue(ChecksumVerifier.verify(expected).allCorrect());
    }

    @Test
    void udpChecksumThatComputesToZeroIsSentAsAllOnes() {
        byte[] built = new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").udp(1000, 2000)
                .payload(Hex.bytes("64f8")).build();
        assertEquals(Hex.of(Hex.bytes(UDP_IPV4_ZERO_SUM)), Hex.of(built));
        assertEquals(0xffff, Checksum.transport(Hex.bytes("c6120102"), Hex.bytes("c6120203"), IpProto.UDP,
                built, 34, 10));
        assertEquals(ChecksumStatus.CORRECT, ChecksumVerifier.verify(built).l4().status());
    }

    @Test
    void oneWrongBitInAReferenceFrameIsCaught() {
        byte[] frame = Hex.bytes(TCP_IPV4_SYN);
        frame[14 + 8] ^= 1; // TTL: the IPv4 header checksum no longer fits
        ChecksumReport report = ChecksumVerifier.verify(frame);
        assertEquals(ChecksumStatus.WRONG, report.ipv4Header().status());
        assertEquals(ChecksumStatus.CORRECT, report.l4().status());

        byte[] udp = Hex.bytes(UDP_IPV6);
        udp[udp.length - 1] ^= 0x40; // payload byte
        assertEquals(ChecksumStatus.WRONG, ChecksumVerifier.verify(udp).l4().status());
    }
}
