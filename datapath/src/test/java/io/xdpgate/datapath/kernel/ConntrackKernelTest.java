package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.CLIENT6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.SERVER6;
import static io.xdpgate.datapath.kernel.Addresses.inet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.abi.Conn;
import io.xdpgate.datapath.abi.Event;
import io.xdpgate.datapath.abi.EventType;
import io.xdpgate.datapath.abi.Role;
import io.xdpgate.datapath.abi.Stat;
import io.xdpgate.datapath.abi.TcpState;
import io.xdpgate.datapath.abi.Tuple;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.policy.RuleAction;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connection tracking: replies of an admitted flow pass where the policy would refuse them,
 * unsolicited packets do not, and the end of a TCP connection closes the doors.
 */
class ConntrackKernelTest extends DatapathSuite {
    private static final int CPORT = 41000;


    /** Only the client may open connections to tcp/80, udp/53 and ICMP echo; the rest is dropped. */
    @BeforeEach
    void clientMayConnect() {
        dp.reset();
        dp.policy(RuleAction.DROP,
                Rule.builder(10).tcp().ports("80").pass().build(),
                Rule.builder(11).udp().ports("53").pass().build(),
                Rule.builder(12).protocol("icmp").ports("8").pass().build(),
                Rule.builder(13).protocol("icmpv6").ports("128").pass().build());
    }

    /** The two hosts of a case: IPv4 or IPv6. */
    record Hosts(String client, String server) {
        PacketBuilder fromClient() {
            return client.contains(":") ? new PacketBuilder().ipv6(client, server) : new PacketBuilder().ipv4(client, server);
        }

        PacketBuilder fromServer() {
            return client.contains(":") ? new PacketBuilder().ipv6(server, client) : new PacketBuilder().ipv4(server, client);
        }

        Tuple tcp() {
            return Tuple.of(inet(client), CPORT, inet(server), 80, 6);
        }

        @Override
        public String toString() {
            return client.contains(":") ? "IPv6" : "IPv4";
        }
    }

    static Stream<Hosts> families() {
        return Stream.of(new Hosts(CLIENT4, SERVER4), new Hosts(CLIENT6, SERVER6));
    }

    private static XdpAction send(Role role, byte[] frame) {
        dp.role(role);
        return dp.run(frame).action();
    }

    private static XdpAction client(Hosts h, PacketBuilder tcp) {
        return send(Role.EXTERNAL, tcp.build());
    }

    private static XdpAction server(Hosts h, PacketBuilder tcp) {
        return send(Role.INTERNAL, tcp.build());
    }

    private static Conn conn(Hosts h) {
        return dp.tables().conns().get(h.tcp()).orElseThrow(() -> new AssertionError("no entry for " + h.tcp()));
    }

    /** SYN, SYN-ACK, ACK. */
    private static void handshake(Hosts h) {
        assertEquals(XdpAction.PASS, client(h, h.fromClient().tcp(CPORT, 80).syn().seq(100)));
        assertEquals(XdpAction.PASS, server(h, h.fromServer().tcp(80, CPORT).syn().ack().seq(900).ackNumber(101)));
        assertEquals(XdpAction.PASS, client(h, h.fromClient().tcp(CPORT, 80).ack().seq(101).ackNumber(901)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void handshakeAndDataBothWays(Hosts h) {
        assertEquals(XdpAction.PASS, client(h, h.fromClient().tcp(CPORT, 80).syn()));
        Conn syn = conn(h);
        assertEquals(TcpState.SYN_SENT, syn.tcpState());
        assertEquals(10, syn.ruleId());

        assertEquals(XdpAction.PASS, server(h, h.fromServer().tcp(80, CPORT).syn().ack()), "the SYN-ACK is a reply");
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState());

        byte[] request = h.fromClient().tcp(CPORT, 80).ack().psh().payload("GET / HTTP/1.1\r\n\r\n").build();
        byte[] response = h.fromServer().tcp(80, CPORT).ack().psh().payload(new byte[1000]).build();
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, request));
        assertEquals(XdpAction.PASS, send(Role.INTERNAL, response));

        Conn c = conn(h);
        assertEquals(syn.id(), c.id(), "one entry for the whole connection");
        assertEquals(2, c.packetsOrig());
        assertEquals(2, c.packetsReply());
        assertTrue(c.bytesReply() >= response.length, "reply bytes counted: " + c.bytesReply());
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(3, dp.count(Stat.ESTABLISHED));
        assertEquals(2, dp.count(Stat.REPLY));
        assertEquals(1, dp.tables().conns().keys().size(), "replies never create entries of their own");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void unsolicitedTcpIsDropped(Hosts h) {
        assertEquals(XdpAction.DROP, client(h, h.fromClient().tcp(CPORT, 80).ack()), "ACK without a connection");
        assertEquals(XdpAction.DROP, server(h, h.fromServer().tcp(80, CPORT).syn().ack()), "SYN-ACK without a SYN");
        assertEquals(2, dp.count(Stat.DROP_TCP_NO_CONN));
        assertEquals(0, dp.tables().conns().keys().size());
    }

    @Test
    void unsolicitedUdpFollowsThePolicy() {
        Hosts h = new Hosts(CLIENT4, SERVER4);
        assertEquals(XdpAction.DROP, send(Role.INTERNAL, h.fromServer().udp(53, CPORT).payload("answer").build()));
        assertEquals(1, dp.count(Stat.DROP_DEFAULT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void udpReplyPassesThoughThePolicyWouldDropIt(Hosts h) {
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, h.fromClient().udp(CPORT, 53).payload("query").build()));
        assertEquals(XdpAction.PASS, send(Role.INTERNAL, h.fromServer().udp(53, CPORT).payload("answer").build()));
        assertEquals(XdpAction.DROP, send(Role.INTERNAL, h.fromServer().udp(53, CPORT + 1).payload("x").build()),
                "another port is not a reply");
        assertEquals(1, dp.count(Stat.REPLY));
        Conn c = dp.tables().conns().get(Tuple.of(inet(h.client()), CPORT, inet(h.server()), 53, 17)).orElseThrow();
        assertEquals(TcpState.NONE, c.tcpState());
    }

    @Test
    void icmpEchoIsTrackedAsAPair() {
        Hosts v4 = new Hosts(CLIENT4, SERVER4);
        Hosts v6 = new Hosts(CLIENT6, SERVER6);
        assertEquals(XdpAction.DROP, send(Role.INTERNAL, v4.fromServer().icmpEchoReply(77, 1).build()), "unsolicited reply");
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, v4.fromClient().icmpEchoRequest(77, 1).build()));
        assertEquals(XdpAction.PASS, send(Role.INTERNAL, v4.fromServer().icmpEchoReply(77, 1).build()));
        assertEquals(XdpAction.DROP, send(Role.INTERNAL, v4.fromServer().icmpEchoReply(78, 1).build()), "other id");
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, v6.fromClient().icmpv6EchoRequest(5, 1).build()));
        assertEquals(XdpAction.PASS, send(Role.INTERNAL, v6.fromServer().icmpv6EchoReply(5, 1).build()));
        assertEquals(2, dp.count(Stat.REPLY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void finFromBothSidesAdmitsOnlySegmentsWithoutData(Hosts h) {
        handshake(h);
        assertEquals(XdpAction.PASS, client(h, h.fromClient().tcp(CPORT, 80).fin().ack()));
        assertEquals(TcpState.FIN_WAIT, conn(h).tcpState());
        assertEquals(XdpAction.PASS, server(h, h.fromServer().tcp(80, CPORT).payload("late data").ack()),
                "the other side may still send");
        assertEquals(XdpAction.PASS, server(h, h.fromServer().tcp(80, CPORT).fin().ack()));
        assertEquals(TcpState.TIME_WAIT, conn(h).tcpState());
        assertEquals(XdpAction.PASS, client(h, h.fromClient().tcp(CPORT, 80).ack()), "the last ACK");
        assertEquals(XdpAction.DROP, client(h, h.fromClient().tcp(CPORT, 80).ack().payload("more")),
                "data after both FINs");
        assertEquals(1, dp.count(Stat.DROP_TCP_CLOSED));
        assertEquals(1, dp.count(Stat.CLOSED));
        List<Event> closed = dp.events().stream().filter(e -> e.type() == EventType.CLOSED).toList();
        assertEquals(1, closed.size());
        assertEquals(h.tcp(), closed.get(0).orig(), "the event names the original tuple");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void rstClosesAndANewSynReopens(Hosts h) {
        handshake(h);
        long firstId = conn(h).id();
        assertEquals(XdpAction.PASS, server(h, h.fromServer().tcp(80, CPORT).rst()), "the RST itself passes");
        assertEquals(TcpState.CLOSED, conn(h).tcpState());
        assertEquals(XdpAction.DROP, client(h, h.fromClient().tcp(CPORT, 80).ack().payload("x")));
        assertEquals(XdpAction.DROP, server(h, h.fromServer().tcp(80, CPORT).ack()));
        assertEquals(2, dp.count(Stat.DROP_TCP_CLOSED));
        assertEquals(1, dp.count(Stat.CLOSED));

        assertEquals(XdpAction.PASS, client(h, h.fromClient().tcp(CPORT, 80).syn()), "a new SYN starts over");
        Conn reopened = conn(h);
        assertEquals(TcpState.SYN_SENT, reopened.tcpState());
        assertNotEquals(firstId, reopened.id());
    }

    @Test
    void synOnAClosedConnectionIsClassifiedAgain() {
        Hosts h = new Hosts(CLIENT4, SERVER4);
        handshake(h);
        server(h, h.fromServer().tcp(80, CPORT).rst());
        dp.policy(RuleAction.DROP);
        assertEquals(XdpAction.DROP, client(h, h.fromClient().tcp(CPORT, 80).syn()), "the new policy refuses it");
        assertEquals(1, dp.count(Stat.DROP_DEFAULT));
        assertTrue(dp.tables().conns().get(h.tcp()).isEmpty(), "the closed entry is gone");
    }

    @Test
    void eventsNameTheFlowAndTheReason() {
        Hosts h = new Hosts(CLIENT4, SERVER4);
        dp.policy(RuleAction.DROP, Rule.builder(5).tcp().ports("23").drop().build(),
                Rule.builder(6).tcp().ports("80").pass().build());
        client(h, h.fromClient().tcp(CPORT, 80).syn());
        client(h, h.fromClient().tcp(CPORT, 23).syn());
        client(h, h.fromClient().tcp(CPORT, 25).syn());
        List<Event> events = dp.events();
        assertEquals(3, events.size(), events.toString());
        assertEquals(EventType.NEW, events.get(0).type());
        assertEquals(h.tcp(), events.get(0).orig());
        assertEquals(6, events.get(0).ruleId());
        assertEquals(conn(h).id(), events.get(0).connId());
        assertEquals(EventType.DROP, events.get(1).type());
        assertEquals(Stat.DROP_POLICY, events.get(1).reason());
        assertEquals(5, events.get(1).ruleId());
        assertEquals(Stat.DROP_DEFAULT, events.get(2).reason());
        assertEquals(Conn.DEFAULT_RULE_ID, events.get(2).ruleId());
    }
}
