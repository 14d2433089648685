package io.xdpgate.datapath.packet;

import io.xdpgate.abi.Checksum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The builder's overrides write exactly the defect they name, and the view and verifier notice it. */
class BrokenPacketsTest {

    private static PacketBuilder tcp4() {
        return new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").tcp(1234, 80).syn().payload("data");
    }

    @Test
    void wrongL4Checksum() {
        byte[] good = tcp4().build();
        byte[] bad = tcp4().breakL4Checksum().build();
        assertNotEquals(PacketView.parse(good).l4Checksum(), PacketView.parse(bad).l4Checksum());
        ChecksumReport report = ChecksumVerifier.verify(bad);
        assertEquals(ChecksumStatus.WRONG, report.l4().status());
        assertEquals(PacketView.parse(good).l4Checksum(), report.l4().expected());
        assertEquals(ChecksumStatus.CORRECT, report.ipv4Header().status());

        byte[] explicit = tcp4().l4Checksum(0x1234).build();
        assertEquals(0x1234, PacketView.parse(explicit).l4Checksum());
    }

    @Test
    void brokenChecksumsAreWrongForEveryProtocol() {
        PacketBuilder[] builders = {
            new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").udp(1, 2),
            new PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2),
            new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").icmpEchoRequest(1, 1),
            new PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").icmpv6EchoRequest(1, 1),
            new PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").tcp(1, 2),
        };
        for (PacketBuilder builder : builders) {
            assertTrue(ChecksumVerifier.verify(builder.build()).allCorrect());
            assertEquals(ChecksumStatus.WRONG, ChecksumVerifier.verify(builder.breakL4Checksum().build()).l4().status());
        }
    }

    @Test
    void wrongIpv4HeaderChecksum() {
        ChecksumReport report = ChecksumVerifier.verify(tcp4().breakIpv4HeaderChecksum().build());
        assertEquals(ChecksumStatus.WRONG, report.ipv4Header().status());
        assertEquals(ChecksumStatus.CORRECT, report.l4().status());
        assertEquals(0xabcd, PacketView.parse(tcp4().ipv4HeaderChecksum(0xabcd).build()).ipv4HeaderChecksum());
    }

    @Test
    void udpWithoutChecksum() {
        byte[] v4 = new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").udp(1, 2).l4Checksum(0).build();
        ChecksumReport report = ChecksumVerifier.verify(v4);
        assertEquals(ChecksumStatus.ABSENT, report.l4().status());
        assertTrue(!report.allCorrect(), "absent is legal but must not pass as correct");

        byte[] v6 = new PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2).l4Checksum(0).build();
        assertEquals(ChecksumStatus.WRONG, ChecksumVerifier.verify(v6).l4().status());
    }

    @Test
    void checksumZeroAndAllOnesAreTheSameForTcp() {
        // Find a TCP segment whose checksum is 0, then write it as ffff: a receiver accepts both.
        for (int seq = 0; seq < 0x20000; seq++) {
            byte[] frame = tcp4().seq(seq).build();
            if (PacketView.parse(frame).l4Checksum() == 0) {
                byte[] ones = tcp4().seq(seq).l4Checksum(0xffff).build();
                assertEquals(ChecksumStatus.CORRECT, ChecksumVerifier.verify(ones).l4().status());
                return;
            }
        }
        throw new AssertionError("no sequence number gave checksum 0");
    }

    @Test
    void wrongIpv4TotalLength() {
        byte[] tooLong = tcp4().ipv4TotalLength(1000).build();
        assertEquals(1000, (tooLong[16] & 0xff) << 8 | (tooLong[17] & 0xff));
        PacketParseException e = assertThrows(PacketParseException.class, () -> PacketView.parse(tooLong));
        assertTrue(e.getMessage().contains("total length 1000"), e.getMessage());
        assertTrue(Checksum.accepts(0, tooLong, 14, 20), "the header checksum covers the overridden length");

        byte[] tooShort = tcp4().ipv4TotalLength(30).build();
        e = assertThrows(PacketParseException.class, () -> PacketView.parse(tooShort));
        assertTrue(e.getMessage().startsWith("TCP header needs 20 bytes at offset 34"), e.getMessage());

        byte[] belowHeader = tcp4().ipv4TotalLength(12).build();
        e = assertThrows(PacketParseException.class, () -> PacketView.parse(belowHeader));
        assertTrue(e.getMessage().contains("below the header length"), e.getMessage());
    }

    @Test
    void wrongIhl() {
        byte[] four = tcp4().ihl(4).build();
        assertEquals(0x44, four[14] & 0xff);
        PacketParseException e = assertThrows(PacketParseException.class, () -> PacketView.parse(four));
        assertTrue(e.getMessage().contains("IHL 4"), e.getMessage());

        byte[] fifteen = tcp4().ihl(15).build();
        assertEquals(0x4f, fifteen[14] & 0xff);
        assertEquals(14 + 20 + 24, fifteen.length, "only the field changes, not the header");
        e = assertThrows(PacketParseException.class, () -> PacketView.parse(fifteen));
        assertTrue(e.getMessage().contains("IHL 15"), e.getMessage());
        assertTrue(Checksum.accepts(0, fifteen, 14, 20));
    }

    @Test
    void wrongTcpDataOffset() {
        byte[] four = tcp4().tcpDataOffset(4).build();
        assertEquals(0x40, four[34 + 12] & 0xff);
        PacketParseException e = assertThrows(PacketParseException.class, () -> PacketView.parse(four));
        assertTrue(e.getMessage().contains("TCP data offset 4"), e.getMessage());

        byte[] beyond = tcp4().tcpDataOffset(15).build();
        e = assertThrows(PacketParseException.class, () -> PacketView.parse(beyond));
        assertTrue(e.getMessage().contains("data offset 15"), e.getMessage());
    }

    @Test
    void wrongIpv6PayloadLengthAndUdpLength() {
        byte[] frame = new PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2).ipv6PayloadLength(200).build();
        assertThrows(PacketParseException.class, () -> PacketView.parse(frame));
        byte[] udp = new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").udp(1, 2).udpLength(99).build();
        assertEquals(99, PacketView.parse(udp).udpLength());
    }

    @Test
    void truncation() {
        byte[] full = tcp4().build();
        for (int n : new int[] {0, 13, 14, 20, 33, 34, 53, full.length}) {
            byte[] cut = tcp4().truncate(n).build();
            assertEquals(n, cut.length);
            assertArrayEquals(Arrays.copyOf(full, n), cut);
        }
        assertThrows(IllegalStateException.class, () -> tcp4().truncate(full.length + 1).build());

        PacketParseException e = assertThrows(PacketParseException.class, () -> PacketView.parse(tcp4().truncate(13).build()));
        assertEquals("frame of 13 bytes is shorter than an Ethernet header (14)", e.getMessage());
        e = assertThrows(PacketParseException.class, () -> PacketView.parse(tcp4().truncate(33).build()));
        assertTrue(e.getMessage().startsWith("IPv4 header needs 20 bytes at offset 14"), e.getMessage());
        e = assertThrows(PacketParseException.class, () -> PacketView.parse(tcp4().truncate(50).build()));
        assertTrue(e.getMessage().contains("total length"), e.getMessage());
        e = assertThrows(PacketParseException.class, () -> PacketView.parse(new PacketBuilder().vlan(1).vlan(2)
                .ipv4("198.18.1.2", "198.18.2.3").udp(1, 2).truncate(20).build()));
        assertTrue(e.getMessage().startsWith("VLAN tag 2 at offset 18 is cut off"), e.getMessage());
    }

    @Test
    void truncatedIpv6ExtensionChain() {
        byte[] frame = new PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").hopByHop(new byte[14])
                .udp(1, 2).ipv6PayloadLength(10).build();
        PacketParseException e = assertThrows(PacketParseException.class, () -> PacketView.parse(frame));
        assertTrue(e.getMessage().startsWith("IPv6 extension header 0 (16 bytes) needs 16 bytes at offset 54"),
                e.getMessage());
    }

    @Test
    void mislabelledFrames() {
        byte[] frame = new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").udp(1, 2).etherType(EtherTypes.IPV6)
                .padTo(80).build();
        PacketParseException e = assertThrows(PacketParseException.class, () -> PacketView.parse(frame));
        assertTrue(e.getMessage().contains("IP version field at offset 14 is 4"), e.getMessage());
    }

    @Test
    void builderRefusesWhatCannotBeWritten() {
        assertThrows(IllegalArgumentException.class, () -> new PacketBuilder().ipv4("2001:db8::1", "198.18.1.1"));
        assertThrows(IllegalArgumentException.class, () -> new PacketBuilder().ipv6("198.18.1.1", "2001:db8::1"));
        assertThrows(IllegalArgumentException.class, () -> new PacketBuilder().ipv4("198.18.1.x", "198.18.1.1"));
        assertThrows(IllegalArgumentException.class, () -> new PacketBuilder().tcp(70000, 1));
        assertThrows(IllegalArgumentException.class, () -> new PacketBuilder().ipv4Options(new byte[41]));
        assertThrows(IllegalStateException.class, () -> new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").build());
        assertThrows(IllegalStateException.class, () -> new PacketBuilder().build());
    }
}
