package io.xdpgate.datapath.packet;

import io.xdpgate.abi.TcpFlags;

import io.xdpgate.abi.MacAddr;

import io.xdpgate.abi.IpProto;

import io.xdpgate.abi.AddressLiteral;

import io.xdpgate.abi.Checksum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What the builder writes, read back by the view. */
class PacketRoundTripTest {

    @ParameterizedTest(name = "{0} VLAN tags")
    @ValueSource(ints = {0, 1, 2, 3})
    void tcpOverIpv4WithOptionsBehindVlanTags(int tags) {
        PacketBuilder builder = new PacketBuilder()
                .srcMac("02:00:00:00:aa:01").dstMac("02:00:00:00:bb:02");
        for (int i = 0; i < tags; i++) {
            builder.vlan(new VlanTag(i == 0 && tags > 1 ? EtherTypes.VLAN_8021AD : EtherTypes.VLAN_8021Q, 5, i == 1, 100 + i));
        }
        byte[] options = {(byte) 0x94, 0x04, 0x00, 0x00}; // router alert
        byte[] tcpOptions = {0x02, 0x04, 0x05, (byte) 0xb4, 0x01, 0x03, 0x03, 0x07}; // MSS 1460, NOP, WS 7
        byte[] frame = builder
                .ipv4("198.18.1.2", "198.18.2.3").ttl(17).tos(0x28).ipv4Id(4242).dontFragment().ipv4Options(options)
                .tcp(40000, 443).seq(0xfffffff0L).ackNumber(77).syn().ack().window(1024).tcpOptions(tcpOptions)
                .payload("hello")
                .build();

        PacketView view = PacketView.parse(frame);
        assertEquals(MacAddr.parse("02:00:00:00:aa:01"), view.srcMac());
        assertEquals(MacAddr.parse("02:00:00:00:bb:02"), view.dstMac());
        assertEquals(tags, view.vlanTags().size());
        for (int i = 0; i < tags; i++) {
            assertEquals(100 + i, view.vlanTags().get(i).vid());
            assertEquals(5, view.vlanTags().get(i).priority());
            assertEquals(i == 1, view.vlanTags().get(i).dropEligible());
        }
        assertEquals(EtherTypes.IPV4, view.etherType());
        assertEquals(4, view.ipVersion());
        int l3 = 14 + 4 * tags;
        assertEquals(l3, view.l3Offset());
        assertEquals(24, view.ipv4HeaderLength());
        assertArrayEquals(options, view.ipv4Options());
        assertEquals(l3 + 24, view.l4Offset());
        assertEquals("198.18.1.2", view.srcAddress().getHostAddress());
        assertEquals("198.18.2.3", view.dstAddress().getHostAddress());
        assertEquals(IpProto.TCP, view.protocol());
        assertEquals(17, view.ttl());
        assertEquals(0x28, view.tos());
        assertEquals(4242, view.ipv4Id());
        assertTrue(view.dontFragment());
        assertFalse(view.moreFragments());
        assertFalse(view.isFragment());
        assertEquals(24 + 28 + 5, view.ipv4TotalLength());
        assertEquals(40000, view.srcPort());
        assertEquals(443, view.dstPort());
        assertEquals(0xfffffff0L, view.seq());
        assertEquals(77, view.ackNumber());
        assertEquals(TcpFlags.SYN | TcpFlags.ACK, view.tcpFlags());
        assertTrue(view.hasTcpFlags(TcpFlags.SYN));
        assertEquals(1024, view.window());
        assertEquals(7, view.tcpDataOffset());
        assertArrayEquals(tcpOptions, view.tcpOptions());
        assertEquals(l3 + 24 + 28, view.payloadOffset());
        assertEquals("hello", new String(view.payload()));
        assertEquals(0, view.trailerLength());
        assertTrue(ChecksumVerifier.verify(frame).allCorrect(), () -> ChecksumVerifier.verify(frame).toString());
    }

    @Test
    void addressesComeBackAsTheirFamily() {
        PacketView v4 = PacketView.parse(new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").udp(1, 2).build());
        assertEquals("198.18.1.2", v4.srcAddress().getHostAddress());
        PacketView v6 = PacketView.parse(new PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2).build());
        assertEquals(AddressLiteral.parse("2001:db8::1"), v6.srcAddress());
        assertArrayEquals(AddressLiteral.parseBytes("2001:db8::2"), v6.dstAddressBytes());
    }

    @Test
    void ipv6ExtensionHeadersAreChainedAndSkipped() {
        byte[] frame = new PacketBuilder().vlan(7)
                .ipv6("2001:db8:1::2", "2001:db8:2::3").hopLimit(9).flowLabel(0xabcde).tos(0xb8)
                .hopByHop(new byte[0])
                .destinationOptions(new byte[] {0x1e, 0x01, 0x00}) // an unknown skippable option, 1 byte of data
                .routingHeader(4, 0, new byte[] {0, 0, 0, 0})
                .fragmentHeader(0, false, 0xdeadbeefL)
                .udp(5000, 5001).payload("x")
                .build();
        PacketView view = PacketView.parse(frame);
        assertEquals(6, view.ipVersion());
        assertEquals(9, view.ttl());
        assertEquals(0xabcde, view.flowLabel());
        assertEquals(0xb8, view.tos());
        List<Ipv6ExtensionHeader> ext = view.extensionHeaders();
        assertEquals(List.of(IpProto.HOP_BY_HOP, IpProto.DESTINATION_OPTIONS, IpProto.ROUTING,
                IpProto.FRAGMENT), ext.stream().map(Ipv6ExtensionHeader::type).toList());
        int l3 = 18;
        assertEquals(l3 + 40, ext.get(0).offset());
        assertEquals(List.of(8, 8, 8, 8), ext.stream().map(Ipv6ExtensionHeader::length).toList());
        assertEquals(IpProto.UDP, view.protocol());
        assertEquals(l3 + 40 + 32, view.l4Offset());
        assertEquals(32 + 8 + 1, view.ipv6PayloadLength());
        assertTrue(view.isFragment(), "a fragment header makes a fragment, even an atomic one");
        assertEquals(5001, view.dstPort());
        assertEquals("x", new String(view.payload()));
        // Options padding: empty hop-by-hop is one PadN of 4 zero bytes after the 2-byte header.
        assertArrayEquals(Hex.bytes("3c00 0104 00000000"), slice(frame, l3 + 40, 8));
        // Destination options: 2 + 3 option bytes leave 3 to pad: PadN with one data byte.
        assertArrayEquals(Hex.bytes("2b00 1e0100 010100"), slice(frame, l3 + 48, 8));
    }

    @Test
    void routingHeaderWithSegmentsLeftMovesTheChecksumDestination() {
        byte[] finalDst = AddressLiteral.parseBytes("2001:db8:9::9");
        byte[] data = new byte[4 + 16];
        System.arraycopy(finalDst, 0, data, 4, 16);
        byte[] frame = new PacketBuilder()
                .ipv6("2001:db8:1::2", "2001:db8:2::3")
                .routingHeader(2, 1, data)
                .tcp(1000, 22).syn().build();
        PacketView view = PacketView.parse(frame);
        assertArrayEquals(finalDst, view.checksumDestination());
        assertTrue(ChecksumVerifier.verify(frame).allCorrect(), () -> ChecksumVerifier.verify(frame).toString());
        int withHeaderDst = Checksum.transport(view.srcAddressBytes(), view.dstAddressBytes(), IpProto.TCP,
                frame, view.l4Offset(), view.l4Length());
        assertTrue(withHeaderDst != view.l4Checksum(), "checksum must not be over the header's destination");
    }

    @Test
    void icmpEchoOverIpv4() {
        byte[] frame = new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").icmpEchoRequest(0x4711, 3)
                .payload(new byte[] {1, 2, 3}).build();
        PacketView view = PacketView.parse(frame);
        assertEquals(IpProto.ICMP, view.protocol());
        assertEquals(8, view.icmpType());
        assertEquals(0, view.icmpCode());
        assertEquals(0x4711, view.icmpId());
        assertEquals(3, view.icmpSeq());
        assertArrayEquals(new byte[] {1, 2, 3}, view.payload());
        assertTrue(ChecksumVerifier.verify(frame).allCorrect());
        assertThrows(IllegalStateException.class, view::srcPort);
    }

    @Test
    void neighbourSolicitationIsJustAType() {
        // Unicast NS (neighbour unreachability detection): the 4 reserved bytes
        // are the builder's id/seq (0), the target address is the payload.
        byte[] frame = new PacketBuilder().ipv6("2001:db8:2::2", "2001:db8:2::3").hopLimit(255)
                .icmpv6(135, 0).payload(AddressLiteral.parseBytes("2001:db8:2::3")).build();
        PacketView view = PacketView.parse(frame);
        assertEquals(135, view.icmpType());
        assertEquals(255, view.ttl());
        assertTrue(ChecksumVerifier.verify(frame).allCorrect());
    }

    @Test
    void nonIpFrame() {
        byte[] frame = new PacketBuilder().vlan(3).etherType(EtherTypes.ARP).payload(new byte[28]).build();
        PacketView view = PacketView.parse(frame);
        assertFalse(view.isIp());
        assertEquals(EtherTypes.ARP, view.etherType());
        assertEquals(18, view.payloadOffset());
        assertEquals(28, view.payload().length);
        assertThrows(IllegalStateException.class, view::ttl);
        assertEquals(ChecksumStatus.NOT_APPLICABLE, ChecksumVerifier.verify(frame).l4().status());
        assertTrue(ChecksumVerifier.verify(frame).allCorrect());
    }

    @Test
    void paddingAfterTheDatagramIsNotPartOfIt() {
        byte[] frame = new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").udp(1, 2).payload("a").padTo(60).build();
        assertEquals(60, frame.length);
        PacketView view = PacketView.parse(frame);
        assertEquals(60 - 14 - 29, view.trailerLength());
        assertEquals("a", new String(view.payload()));
        assertTrue(ChecksumVerifier.verify(frame).allCorrect());
    }

    @Test
    void otherProtocolsCarryThePayloadRightAfterTheIpHeader() {
        byte[] frame = new PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").ipProtocol(IpProto.GRE)
                .payload(new byte[] {9, 9}).build();
        PacketView view = PacketView.parse(frame);
        assertEquals(IpProto.GRE, view.protocol());
        assertFalse(view.hasL4Header());
        assertEquals(view.l4Offset(), view.payloadOffset());
        assertEquals(ChecksumStatus.NOT_APPLICABLE, ChecksumVerifier.verify(frame).l4().status());
    }

    @Test
    void fragments() {
        byte[] first = new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").moreFragments().udp(1, 2)
                .payload(new byte[16]).build();
        PacketView firstView = PacketView.parse(first);
        assertTrue(firstView.isFragment());
        assertTrue(firstView.moreFragments());
        assertEquals(2, firstView.dstPort(), "the first fragment has the header");
        assertEquals(ChecksumStatus.INCOMPLETE, ChecksumVerifier.verify(first).l4().status());
        assertEquals(ChecksumStatus.CORRECT, ChecksumVerifier.verify(first).ipv4Header().status());

        byte[] later = new PacketBuilder().ipv4("198.18.1.2", "198.18.2.3").fragmentOffset(3).ipProtocol(IpProto.UDP)
                .payload(new byte[8]).build();
        PacketView laterView = PacketView.parse(later);
        assertEquals(3, laterView.fragmentOffset());
        assertFalse(laterView.hasL4Header());
        assertThrows(IllegalStateException.class, laterView::dstPort);

        byte[] v6 = new PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").fragmentHeader(5, true, 1)
                .ipProtocol(IpProto.TCP).payload(new byte[8]).build();
        PacketView v6View = PacketView.parse(v6);
        assertEquals(IpProto.TCP, v6View.protocol());
        assertEquals(5, v6View.fragmentOffset());
        assertFalse(v6View.hasL4Header());
    }

    static byte[] slice(byte[] data, int offset, int length) {
        return java.util.Arrays.copyOfRange(data, offset, offset + length);
    }
}
