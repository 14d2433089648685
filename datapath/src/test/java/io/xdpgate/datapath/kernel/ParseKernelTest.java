package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.CLIENT6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.SERVER6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xdpgate.abi.Action;
import io.xdpgate.abi.Stat;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.tables.Hook;
import io.xdpgate.abi.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parsing, as a table of cases: a crafted frame, the action the kernel takes and the one counter
 * that says why. The policy passes everything, so any drop is the parser's. Passed frames must
 * come out unchanged. Truncations are tried at every byte offset.
 */
class ParseKernelTest extends DatapathSuite {

    /** One row: what is sent and what must happen. */
    record Case(String description, Supplier<byte[]> frame, XdpAction action, Stat counter) {
        @Override
        public String toString() {
            return description;
        }
    }


    @BeforeEach
    void passEverything() {
        dp.reset();
        dp.policy(Action.PASS);
    }

    static PacketBuilder syn4() {
        return new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(40000, 80).syn();
    }

    static PacketBuilder syn6() {
        return new PacketBuilder().ipv6(CLIENT6, SERVER6).tcp(40000, 80).syn();
    }

    static PacketBuilder udp6() {
        return new PacketBuilder().ipv6(CLIENT6, SERVER6).udp(40000, 53).payload("query");
    }

    static Stream<Case> table() {
        return Stream.of(
                new Case("TCP/IPv4 SYN", () -> syn4().build(), XdpAction.PASS, Stat.NEW_FLOW),
                new Case("TCP/IPv6 SYN", () -> syn6().build(), XdpAction.PASS, Stat.NEW_FLOW),
                new Case("UDP/IPv6", () -> udp6().build(), XdpAction.PASS, Stat.NEW_FLOW),
                new Case("frame with Ethernet padding after the datagram", () -> syn4().padTo(80).build(),
                        XdpAction.PASS, Stat.NEW_FLOW),
                new Case("ARP passes untouched", () -> new PacketBuilder().etherType(0x0806).payload(new byte[28]).build(),
                        XdpAction.PASS, Stat.NON_IP),
                new Case("ICMPv6 neighbour solicitation passes untouched",
                        () -> new PacketBuilder().ipv6(CLIENT6, SERVER6).hopLimit(255).icmpv6(135, 0).payload(new byte[20]).build(),
                        XdpAction.PASS, Stat.ICMP6_ND),
                new Case("ICMPv6 neighbour advertisement routed from off the link (hop limit 254)",
                        () -> new PacketBuilder().ipv6(CLIENT6, SERVER6).hopLimit(254).icmpv6(136, 0).payload(new byte[20]).build(),
                        XdpAction.DROP, Stat.DROP_ICMP6_ND_HOPS),
                new Case("ICMPv6 router advertisement with hop limit 64",
                        () -> new PacketBuilder().ipv6(CLIENT6, SERVER6).hopLimit(64).icmpv6(134, 0).payload(new byte[12]).build(),
                        XdpAction.DROP, Stat.DROP_ICMP6_ND_HOPS),
                new Case("MLD report with hop limit 1 passes untouched",
                        () -> new PacketBuilder().ipv6(CLIENT6, SERVER6).hopLimit(1).icmpv6(143, 0).payload(new byte[20]).build(),
                        XdpAction.PASS, Stat.ICMP6_ND),
                new Case("MLD query with hop limit 2",
                        () -> new PacketBuilder().ipv6(CLIENT6, SERVER6).hopLimit(2).icmpv6(130, 0).payload(new byte[20]).build(),
                        XdpAction.DROP, Stat.DROP_ICMP6_ND_HOPS),
                new Case("one 802.1Q tag", () -> syn4().vlan(100).build(), XdpAction.PASS, Stat.NEW_FLOW),
                new Case("QinQ (802.1ad + 802.1Q)", () -> syn4().qinq(10, 20).build(), XdpAction.PASS, Stat.NEW_FLOW),
                new Case("three VLAN tags", () -> syn4().qinq(10, 20).vlan(30).build(), XdpAction.DROP, Stat.DROP_VLAN_DEPTH),
                new Case("IPv4 options are skipped", () -> syn4().ipv4Options(new byte[] {1, 1, 1, 0}).build(),
                        XdpAction.PASS, Stat.NEW_FLOW),
                new Case("IPv4 ihl 4", () -> syn4().ihl(4).build(), XdpAction.DROP, Stat.DROP_IP4_BAD_HDR),
                new Case("IPv4 ihl 15 beyond the frame", () -> syn4().ihl(15).truncate(14 + 40).build(),
                        XdpAction.DROP, Stat.DROP_IP4_BAD_HDR),
                new Case("IPv4 total length beyond the frame", () -> syn4().ipv4TotalLength(200).build(),
                        XdpAction.DROP, Stat.DROP_IP4_BAD_LEN),
                new Case("IPv4 total length below the header", () -> syn4().ipv4TotalLength(16).build(),
                        XdpAction.DROP, Stat.DROP_IP4_BAD_LEN),
                new Case("IPv4 first fragment (MF)", () -> syn4().moreFragments().build(), XdpAction.DROP, Stat.DROP_FRAGMENT),
                new Case("IPv4 later fragment", () -> new PacketBuilder().ipv4(CLIENT4, SERVER4).fragmentOffset(185)
                        .ipProtocol(17).payload(new byte[32]).build(), XdpAction.DROP, Stat.DROP_FRAGMENT),
                new Case("IPv6 fragment header", () -> new PacketBuilder().ipv6(CLIENT6, SERVER6).fragmentHeader(0, true, 7)
                        .udp(40000, 53).payload("x").build(), XdpAction.DROP, Stat.DROP_FRAGMENT),
                new Case("IPv6 hop-by-hop and destination options are skipped",
                        () -> new PacketBuilder().ipv6(CLIENT6, SERVER6).hopByHop(new byte[6]).destinationOptions(new byte[6])
                                .tcp(40000, 80).syn().build(), XdpAction.PASS, Stat.NEW_FLOW),
                new Case("IPv6 with five extension headers", () -> {
                    var b = new PacketBuilder().ipv6(CLIENT6, SERVER6);
                    for (int i = 0; i < 5; i++) {
                        b.destinationOptions(new byte[6]);
                    }
                    return b.tcp(40000, 80).syn().build();
                }, XdpAction.DROP, Stat.DROP_IP6_EXT),
                new Case("IPv6 source in ::ffff:0:0/96 (IPv4-mapped)", () -> new PacketBuilder()
                        .ipv6("::ffff:198.18.1.2", SERVER6).tcp(40000, 80).syn().build(), XdpAction.DROP, Stat.DROP_IP6_MAPPED),
                new Case("IPv6 destination in ::ffff:0:0/96 (IPv4-mapped)", () -> new PacketBuilder()
                        .ipv6(CLIENT6, "::ffff:198.18.2.2").tcp(40000, 80).syn().build(), XdpAction.DROP, Stat.DROP_IP6_MAPPED),
                new Case("IPv6 payload length beyond the frame", () -> syn6().ipv6PayloadLength(400).build(),
                        XdpAction.DROP, Stat.DROP_IP6_TRUNC),
                new Case("TCP data offset 4", () -> syn4().tcpDataOffset(4).build(), XdpAction.DROP, Stat.DROP_TCP_BAD_HDR),
                new Case("TCP data offset beyond the segment", () -> syn4().tcpDataOffset(15).build(),
                        XdpAction.DROP, Stat.DROP_TCP_BAD_HDR),
                new Case("TCP without flags", () -> syn4().tcpFlags(0).build(), XdpAction.DROP, Stat.DROP_TCP_BAD_HDR),
                new Case("TCP SYN+FIN", () -> syn4().tcpFlags(TcpFlags.SYN | TcpFlags.FIN).build(),
                        XdpAction.DROP, Stat.DROP_TCP_BAD_HDR),
                new Case("TCP SYN+RST", () -> syn4().tcpFlags(TcpFlags.SYN | TcpFlags.RST).build(),
                        XdpAction.DROP, Stat.DROP_TCP_BAD_HDR),
                new Case("UDP header cut by the IPv4 length", () -> new PacketBuilder().ipv4(CLIENT4, SERVER4).udp(1, 53)
                        .ipv4TotalLength(20 + 4).build(), XdpAction.DROP, Stat.DROP_L4_TRUNC),
                new Case("ICMP header cut", () -> new PacketBuilder().ipv4(CLIENT4, SERVER4).icmpEchoRequest(1, 1)
                        .truncate(14 + 20 + 4).ipv4TotalLength(24).build(), XdpAction.DROP, Stat.DROP_L4_TRUNC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void parses(Case c) {
        byte[] frame = c.frame().get();
        var run = dp.run(frame);
        assertEquals(c.action(), run.action(), c.description());
        assertEquals(1, dp.count(c.counter()), c.description() + ": counter " + c.counter());
        if (c.action() == XdpAction.DROP) {
            assertEquals(1, dp.count(Stat.DROP), "every drop moves the total too");
            assertEquals(0, dp.count(Stat.PASS));
        } else {
            assertArrayEquals(frame, run.packet(), "a passed frame leaves unchanged");
            assertEquals(0, dp.count(Stat.DROP));
        }
    }

    /** The reason a frame cut to {@code length} bytes is dropped. */
    record Cut(int length, Stat reason) {
        @Override
        public String toString() {
            return length + " bytes -> " + reason;
        }
    }

    /**
     * Cuts start at 14 bytes: BPF_PROG_TEST_RUN refuses shorter XDP input (EINVAL), as drivers
     * never hand XDP a runt.
     */
    private static final int SHORTEST_RUN = 14;

    /** A TCP/IPv4 SYN behind a VLAN tag, cut at every offset; the IP header still claims the whole datagram. */
    static Stream<Cut> ipv4Cuts() {
        int full = syn4().vlan(7).build().length;
        List<Cut> cuts = new ArrayList<>();
        for (int n = SHORTEST_RUN; n < full; n++) {
            cuts.add(new Cut(n, n < 18 ? Stat.DROP_ETH_TRUNC : n < 38 ? Stat.DROP_IP4_TRUNC : Stat.DROP_IP4_BAD_LEN));
        }
        return cuts.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv4Cuts")
    void dropsIpv4CutAnywhere(Cut cut) {
        assertDropped(syn4().vlan(7).truncate(cut.length()).build(), cut.reason());
    }

    /** The same, with the IPv4 total length agreeing with the cut: the transport header is short. */
    static Stream<Cut> ipv4ConsistentCuts() {
        int full = syn4().build().length;
        List<Cut> cuts = new ArrayList<>();
        for (int n = 34; n < full; n++) {
            cuts.add(new Cut(n, Stat.DROP_L4_TRUNC));
        }
        return cuts.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv4ConsistentCuts")
    void dropsShortTcpHeader(Cut cut) {
        assertDropped(syn4().truncate(cut.length()).ipv4TotalLength(cut.length() - 14).build(), cut.reason());
    }

    /**
     * A UDP/IPv6 datagram cut at every offset. At tc from the end of the IPv6 header on: that is a
     * limit of the test harness, not of the hook (BPF_PROG_TEST_RUN builds the skb as the IPv6
     * stack would take it and refuses one shorter than its header, EINVAL). On the wire tc ingress
     * runs before IPv6's own checks and meets such frames; the parser is the same code at both
     * hooks, and the XDP run of this table covers the shorter cuts.
     */
    static Stream<Cut> ipv6Cuts() {
        int full = udp6().build().length;
        List<Cut> cuts = new ArrayList<>();
        for (int n = Datapath.HOOK == Hook.TC ? 54 : SHORTEST_RUN; n < full; n++) {
            cuts.add(new Cut(n, Stat.DROP_IP6_TRUNC));
        }
        return cuts.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv6Cuts")
    void dropsIpv6CutAnywhere(Cut cut) {
        assertDropped(udp6().truncate(cut.length()).build(), cut.reason());
    }

    static Stream<Cut> ipv6ConsistentCuts() {
        List<Cut> cuts = new ArrayList<>();
        for (int n = 54; n < 62; n++) {
            cuts.add(new Cut(n, Stat.DROP_L4_TRUNC));
        }
        return cuts.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv6ConsistentCuts")
    void dropsShortUdpHeader(Cut cut) {
        assertDropped(udp6().truncate(cut.length()).ipv6PayloadLength(cut.length() - 54).build(), cut.reason());
    }

    private static void assertDropped(byte[] frame, Stat reason) {
        var run = dp.run(frame);
        assertEquals(XdpAction.DROP, run.action(), frame.length + " bytes");
        assertEquals(1, dp.count(reason), frame.length + " bytes: " + reason);
        assertEquals(1, dp.count(Stat.DROP));
        dp.tables().resetCounters();
    }
}
