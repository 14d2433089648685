package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.CLIENT6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.SERVER6;
import static io.xdpgate.datapath.kernel.Addresses.inet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Conn;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.TcpState;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.testing.KernelTest;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connection tracking: replies of an admitted flow pass where the policy would refuse them,
 * unsolicited packets do not, and the end of a TCP connection closes the doors.
 *
 * <p>The client sits behind an external interface, the server behind an internal one; the policy
 * only lets the client open tcp/80, udp/53 and ICMP echo, so every reply that passes does so
 * because of its connection entry.
 */
@KernelTest
class ConntrackKernelTest extends DatapathSuite {
    private static final int CPORT = 41000;
    private static final int TCP = 6;
    private static final int UDP = 17;

    /** Only the client may open connections to tcp/80, udp/53 and ICMP echo; the rest is dropped. */
    @BeforeEach
    void clientMayConnect() {
        dp.reset();
        dp.policy(Action.DROP,
                Rule.builder(10).tcp().ports("80").pass().build(),
                Rule.builder(11).udp().ports("53").pass().build(),
                Rule.builder(12).protocol("icmp").ports("8").pass().build(),
                Rule.builder(13).protocol("icmpv6").ports("128").pass().build());
    }

    /** The two hosts of a case: IPv4 or IPv6. */
    record Hosts(String client, String server) {
        boolean v6() {
            return client.contains(":");
        }

        PacketBuilder fromClient() {
            return v6() ? new PacketBuilder().ipv6(client, server) : new PacketBuilder().ipv4(client, server);
        }

        PacketBuilder fromServer() {
            return v6() ? new PacketBuilder().ipv6(server, client) : new PacketBuilder().ipv4(server, client);
        }

        /** The connection's key: the tuple of the client's SYN. */
        Tuple tcp() {
            return Tuple.of(inet(client), CPORT, inet(server), 80, TCP);
        }

        Tuple udp() {
            return Tuple.of(inet(client), CPORT, inet(server), 53, UDP);
        }

        /** An echo request's tuple: the identifier is its source port, the reply's destination port. */
        Tuple echo(int id) {
            return Tuple.of(inet(client), id, inet(server), 0, v6() ? 58 : 1);
        }

        PacketBuilder echoRequest(int id) {
            return v6() ? fromClient().icmpv6EchoRequest(id, 1) : fromClient().icmpEchoRequest(id, 1);
        }

        PacketBuilder echoReply(int id) {
            return v6() ? fromServer().icmpv6EchoReply(id, 1) : fromServer().icmpEchoReply(id, 1);
        }

        @Override
        public String toString() {
            return v6() ? "IPv6" : "IPv4";
        }
    }

    static Stream<Hosts> families() {
        return Stream.of(new Hosts(CLIENT4, SERVER4), new Hosts(CLIENT6, SERVER6));
    }

    private static XdpAction send(Role role, byte[] frame) {
        dp.role(role);
        return dp.run(frame).action();
    }

    /** From the client, through the external interface. */
    private static XdpAction client(PacketBuilder b) {
        return send(Role.EXTERNAL, b.build());
    }

    /** From the server, through the internal interface. */
    private static XdpAction server(PacketBuilder b) {
        return send(Role.INTERNAL, b.build());
    }

    private static Conn conn(Tuple key) {
        return dp.tables().conns().get(key).orElseThrow(() -> new AssertionError("no entry for " + key));
    }

    private static Conn conn(Hosts h) {
        return conn(h.tcp());
    }

    private static List<Event> events(EventType type) {
        return dp.events().stream().filter(e -> e.type() == type).toList();
    }

    /** SYN, SYN-ACK, ACK. */
    private static void handshake(Hosts h) {
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).syn().seq(100)));
        assertEquals(XdpAction.PASS, server(h.fromServer().tcp(80, CPORT).syn().ack().seq(900).ackNumber(101)));
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).ack().seq(101).ackNumber(901)));
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState());
    }

    // ---- handshake and data

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void handshakeAndDataBothWays(Hosts h) {
        byte[] syn = h.fromClient().tcp(CPORT, 80).syn().seq(100).build();
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, syn));
        Conn first = conn(h);
        assertEquals(TcpState.SYN_SENT, first.tcpState());
        assertEquals(10, first.ruleId(), "the rule that admitted the flow");
        assertEquals(Action.PASS, first.verdict());
        assertEquals(Role.EXTERNAL, first.inRole());
        assertTrue(first.nat().isZero(), "a passed flow has no NAT tuple");
        assertEquals(1, first.packetsOrig());
        assertEquals(syn.length, first.bytesOrig());
        assertEquals(0, first.packetsReply());
        assertTrue(first.createdNs() > 0 && first.lastSeenNs() >= first.createdNs());
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(0, dp.count(Stat.ESTABLISHED), "the first packet creates, it does not match");

        byte[] synAck = h.fromServer().tcp(80, CPORT).syn().ack().seq(900).ackNumber(101).build();
        assertEquals(XdpAction.PASS, send(Role.INTERNAL, synAck), "the SYN-ACK is a reply, the policy would drop it");
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState());
        assertEquals(1, dp.count(Stat.ESTABLISHED));
        assertEquals(1, dp.count(Stat.REPLY));

        byte[] ack = h.fromClient().tcp(CPORT, 80).ack().seq(101).ackNumber(901).build();
        byte[] request = h.fromClient().tcp(CPORT, 80).ack().psh().payload("GET / HTTP/1.1\r\n\r\n").build();
        byte[] response = h.fromServer().tcp(80, CPORT).ack().psh().payload(new byte[1000]).build();
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, ack));
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, request));
        assertEquals(XdpAction.PASS, send(Role.INTERNAL, response));

        Conn c = conn(h);
        assertEquals(first.id(), c.id(), "one entry for the whole connection");
        assertEquals(TcpState.ESTABLISHED, c.tcpState());
        assertEquals(3, c.packetsOrig());
        assertEquals(syn.length + ack.length + request.length, c.bytesOrig());
        assertEquals(2, c.packetsReply());
        assertEquals(synAck.length + response.length, c.bytesReply());
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(4, dp.count(Stat.ESTABLISHED));
        assertEquals(2, dp.count(Stat.REPLY));
        assertEquals(5, dp.count(Stat.PASS));
        assertEquals(0, dp.count(Stat.DROP));
        assertEquals(1, dp.tables().conns().keys().size(), "replies never create entries of their own");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aRetransmittedSynKeepsTheEntry(Hosts h) {
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).syn().seq(100)));
        long id = conn(h).id();
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).syn().seq(100)));
        assertEquals(id, conn(h).id());
        assertEquals(TcpState.SYN_SENT, conn(h).tcpState());
        assertEquals(2, conn(h).packetsOrig());
        assertEquals(1, dp.count(Stat.NEW_FLOW));
    }

    // ---- unsolicited

    /** A TCP segment nobody asked for; every one is dropped as DROP_TCP_NO_CONN. */
    record Unsolicited(String name, Role role, Function<Hosts, PacketBuilder> segment) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> unsolicitedSegments() {
        List<Unsolicited> segments = List.of(
                new Unsolicited("ACK from the client", Role.EXTERNAL, h -> h.fromClient().tcp(CPORT, 80).ack()),
                new Unsolicited("data from the client", Role.EXTERNAL,
                        h -> h.fromClient().tcp(CPORT, 80).ack().psh().payload("GET /")),
                new Unsolicited("SYN-ACK from the server", Role.INTERNAL, h -> h.fromServer().tcp(80, CPORT).syn().ack()),
                new Unsolicited("data from the server", Role.INTERNAL,
                        h -> h.fromServer().tcp(80, CPORT).ack().payload("HTTP/1.1 200")),
                new Unsolicited("FIN from the client", Role.EXTERNAL, h -> h.fromClient().tcp(CPORT, 80).fin().ack()),
                new Unsolicited("RST from the server", Role.INTERNAL, h -> h.fromServer().tcp(80, CPORT).rst()));
        return families().flatMap(h -> segments.stream().map(s -> Arguments.of(h, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("unsolicitedSegments")
    void unsolicitedTcpIsDropped(Hosts h, Unsolicited u) {
        dp.role(u.role());
        assertEquals(XdpAction.DROP, dp.run(u.segment().apply(h).build()).action(), u.name());
        assertEquals(1, dp.count(Stat.DROP_TCP_NO_CONN));
        assertEquals(1, dp.count(Stat.DROP));
        assertEquals(0, dp.count(Stat.PASS));
        assertEquals(0, dp.count(Stat.NEW_FLOW));
        assertEquals(0, dp.tables().conns().keys().size(), "a refused segment leaves no entry");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void unsolicitedUdpFollowsThePolicy(Hosts h) {
        assertEquals(XdpAction.DROP, server(h.fromServer().udp(53, CPORT).payload("answer")));
        assertEquals(1, dp.count(Stat.DROP_DEFAULT));
        assertEquals(1, dp.count(Stat.DROP));
        assertEquals(0, dp.tables().conns().keys().size());
        Event ev = events(EventType.DROP).get(0);
        assertEquals(Stat.DROP_DEFAULT, ev.reason());
        assertEquals(h.udp().reversed(), ev.orig(), "the refused datagram's own tuple");
        assertEquals(Conn.DEFAULT_RULE_ID, ev.ruleId());
    }

    // ---- UDP and ICMP echo

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void udpReplyPassesThoughThePolicyWouldDropIt(Hosts h) {
        byte[] query = h.fromClient().udp(CPORT, 53).payload("query").build();
        byte[] answer = h.fromServer().udp(53, CPORT).payload("answer").build();
        assertEquals(XdpAction.PASS, send(Role.EXTERNAL, query));
        Conn c = conn(h.udp());
        assertEquals(TcpState.NONE, c.tcpState());
        assertEquals(11, c.ruleId());

        assertEquals(XdpAction.PASS, send(Role.INTERNAL, answer));
        assertEquals(XdpAction.PASS, send(Role.INTERNAL, answer), "a second answer too: UDP has no end");
        assertEquals(XdpAction.DROP, server(h.fromServer().udp(53, CPORT + 1).payload("x")), "another port is not a reply");
        assertEquals(XdpAction.DROP, server(h.fromServer().udp(54, CPORT).payload("x")), "nor another server port");
        assertEquals(2, dp.count(Stat.REPLY));
        assertEquals(2, dp.count(Stat.DROP_DEFAULT));
        c = conn(h.udp());
        assertEquals(1, c.packetsOrig());
        assertEquals(2, c.packetsReply());
        assertEquals(2L * answer.length, c.bytesReply());
        assertEquals(1, dp.tables().conns().keys().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void icmpEchoIsTrackedAsAPair(Hosts h) {
        assertEquals(XdpAction.DROP, server(h.echoReply(77)), "an unsolicited echo reply");
        assertEquals(1, dp.count(Stat.DROP_DEFAULT));

        assertEquals(XdpAction.PASS, client(h.echoRequest(77)));
        Conn c = conn(h.echo(77));
        assertEquals(h.v6() ? 13 : 12, c.ruleId());
        assertEquals(TcpState.NONE, c.tcpState());

        assertEquals(XdpAction.PASS, server(h.echoReply(77)), "the reply to that request");
        assertEquals(XdpAction.DROP, server(h.echoReply(78)), "a reply with another identifier");
        assertEquals(1, dp.count(Stat.REPLY));
        assertEquals(2, dp.count(Stat.DROP_DEFAULT));
        assertEquals(1, conn(h.echo(77)).packetsReply());
        assertEquals(0, dp.count(Stat.STATELESS), "echo is tracked, not classified per packet");
    }

    // ---- closing the doors

    /** Who sends the second FIN, i.e. completes the close. */
    static Stream<Arguments> finOrders() {
        return families().flatMap(h -> Stream.of(Arguments.of(h, "client first"), Arguments.of(h, "server first")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("finOrders")
    void finFromBothSidesAdmitsOnlySegmentsWithoutData(Hosts h, String order) {
        boolean clientFirst = order.equals("client first");
        handshake(h);
        // the side that closes second sends 9 bytes of late data before its FIN
        PacketBuilder clientFin = h.fromClient().tcp(CPORT, 80).fin().ack().seq(clientFirst ? 101 : 110)
                .ackNumber(clientFirst ? 901 : 902);
        PacketBuilder serverFin = h.fromServer().tcp(80, CPORT).fin().ack().seq(clientFirst ? 910 : 901)
                .ackNumber(clientFirst ? 102 : 101);

        assertEquals(XdpAction.PASS, clientFirst ? client(clientFin) : server(serverFin));
        assertEquals(TcpState.FIN_WAIT, conn(h).tcpState());
        assertEquals(XdpAction.PASS, clientFirst
                        ? server(h.fromServer().tcp(80, CPORT).ack().seq(901).ackNumber(102).payload("late data"))
                        : client(h.fromClient().tcp(CPORT, 80).ack().seq(101).ackNumber(902).payload("late data")),
                "the side that has not closed may still send");
        assertEquals(0, dp.count(Stat.CLOSED));

        assertEquals(XdpAction.PASS, clientFirst ? server(serverFin) : client(clientFin));
        Conn c = conn(h);
        assertEquals(TcpState.TIME_WAIT, c.tcpState());
        assertEquals(Abi.XG_CONN_F_FIN_ORIG | Abi.XG_CONN_F_FIN_REPLY, c.flags());
        assertEquals(1, dp.count(Stat.CLOSED));
        List<Event> closed = events(EventType.CLOSED);
        assertEquals(1, closed.size());
        assertEquals(h.tcp(), closed.get(0).orig(), "the event names the original tuple, whoever closed");
        assertEquals(c.id(), closed.get(0).connId());
        assertEquals(10, closed.get(0).ruleId());
        assertTrue(closed.get(0).nat().isZero());

        // the last ACK, padded to the Ethernet minimum: padding is not data
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).ack().padTo(60)), "the last ACK");
        assertEquals(XdpAction.PASS, server(h.fromServer().tcp(80, CPORT).ack()), "a pure ACK from the server");
        assertEquals(XdpAction.PASS, server(serverFin), "a retransmitted FIN carries no data");
        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).ack().payload("more")), "data after both FINs");
        assertEquals(XdpAction.DROP, server(h.fromServer().tcp(80, CPORT).ack().payload("more")), "from either side");
        assertEquals(2, dp.count(Stat.DROP_TCP_CLOSED));
        assertEquals(2, dp.count(Stat.DROP));

        assertEquals(XdpAction.PASS, server(h.fromServer().tcp(80, CPORT).rst().seq(clientFirst ? 911 : 902)),
                "a RST in time-wait passes");
        assertEquals(TcpState.CLOSED, conn(h).tcpState());
        assertEquals(1, dp.count(Stat.CLOSED), "a flow is counted closed once");
        assertEquals(0, events(EventType.CLOSED).size(), "and reported once");
        assertEquals(1, dp.tables().conns().keys().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aNewSynInTimeWaitReopens(Hosts h) {
        handshake(h);
        client(h.fromClient().tcp(CPORT, 80).fin().ack().seq(101).ackNumber(901));
        server(h.fromServer().tcp(80, CPORT).fin().ack().seq(901).ackNumber(102));
        Conn old = conn(h);
        assertEquals(TcpState.TIME_WAIT, old.tcpState());
        dp.events();

        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).syn().seq(5000)));
        Conn reopened = conn(h);
        assertNotEquals(old.id(), reopened.id(), "a new connection");
        assertEquals(TcpState.SYN_SENT, reopened.tcpState());
        assertEquals(0, reopened.flags(), "the FIN marks are gone");
        assertEquals(1, reopened.packetsOrig());
        assertEquals(0, reopened.packetsReply());
        assertEquals(2, dp.count(Stat.NEW_FLOW));
        assertEquals(List.of(EventType.NEW), dp.events().stream().map(Event::type).toList());
        assertEquals(XdpAction.PASS, server(h.fromServer().tcp(80, CPORT).syn().ack().seq(7000).ackNumber(5001)));
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState());
    }

    /** A RST, the state it arrives in and who sends it. */
    record Reset(String name, boolean afterHandshake, boolean fromServer) {
        /** At exactly the sender's next sequence number, as a real endpoint sends it (RFC 5961). */
        PacketBuilder rst(Hosts h) {
            if (!afterHandshake) {
                return h.fromServer().tcp(80, CPORT).rst().ack().ackNumber(101);
            }
            return fromServer ? h.fromServer().tcp(80, CPORT).rst().ack().seq(901).ackNumber(101)
                    : h.fromClient().tcp(CPORT, 80).rst().seq(101);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> resets() {
        List<Reset> resets = List.of(
                new Reset("server resets an established connection", true, true),
                new Reset("client resets an established connection", true, false),
                new Reset("server refuses the SYN (RST-ACK)", false, true));
        return families().flatMap(h -> resets.stream().map(r -> Arguments.of(h, r)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("resets")
    void rstClosesAndOnlyANewSynReopens(Hosts h, Reset r) {
        if (r.afterHandshake()) {
            handshake(h);
        } else {
            assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).syn().seq(100)));
        }
        Conn before = conn(h);
        dp.events();

        assertEquals(XdpAction.PASS, r.fromServer() ? server(r.rst(h)) : client(r.rst(h)), "the RST itself passes");
        assertEquals(TcpState.CLOSED, conn(h).tcpState());
        assertEquals(1, dp.count(Stat.CLOSED));
        List<Event> closed = events(EventType.CLOSED);
        assertEquals(1, closed.size());
        assertEquals(h.tcp(), closed.get(0).orig(), "the original tuple, whichever side reset");
        assertEquals(before.id(), closed.get(0).connId());

        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).ack().payload("x")), "data after the RST");
        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).ack()), "a pure ACK after the RST");
        assertEquals(XdpAction.DROP, server(h.fromServer().tcp(80, CPORT).ack()), "from the server side too");
        assertEquals(XdpAction.DROP, server(h.fromServer().tcp(80, CPORT).syn().ack()), "a SYN-ACK does not revive it");
        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).rst()), "nor does another RST pass");
        assertEquals(5, dp.count(Stat.DROP_TCP_CLOSED));
        assertEquals(5, dp.count(Stat.DROP));
        assertEquals(1, dp.count(Stat.CLOSED), "counted once");

        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).syn()), "a new SYN starts over");
        Conn reopened = conn(h);
        assertEquals(TcpState.SYN_SENT, reopened.tcpState());
        assertNotEquals(before.id(), reopened.id(), "a new connection id");
        assertEquals(1, reopened.packetsOrig(), "fresh counters");
        assertEquals(2, dp.count(Stat.NEW_FLOW));
        List<Event> events = dp.events();
        assertEquals(1, events.size(), events.toString());
        assertEquals(EventType.NEW, events.get(0).type());
        assertEquals(reopened.id(), events.get(0).connId());
        assertEquals(1, dp.tables().conns().keys().size());
    }

    @Test
    void synOnAClosedConnectionIsClassifiedAgain() {
        Hosts h = new Hosts(CLIENT4, SERVER4);
        handshake(h);
        server(h.fromServer().tcp(80, CPORT).rst().seq(901));
        dp.policy(Action.DROP);
        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).syn()), "the new policy refuses it");
        assertEquals(1, dp.count(Stat.DROP_DEFAULT));
        assertTrue(dp.tables().conns().get(h.tcp()).isEmpty(), "the closed entry is gone");
    }

    @Test
    void aServerSynOnAClosedConnectionDoesNotReopenIt() {
        Hosts h = new Hosts(CLIENT4, SERVER4);
        handshake(h);
        server(h.fromServer().tcp(80, CPORT).rst().seq(901));
        assertEquals(XdpAction.DROP, server(h.fromServer().tcp(80, CPORT).syn()),
                "only the side that opened the connection may reopen it");
        assertEquals(TcpState.CLOSED, conn(h).tcpState());
        assertEquals(1, dp.count(Stat.DROP_TCP_CLOSED));
    }

    // ---- the side a connection started on

    /**
     * A forged SYN from the server's address, sent in from the client's side, must not become
     * the reply of the real connection the client opens next on the same ports: that would pass
     * it in the kernel, past the policy (attack 5 of issue 10).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aSpoofedEntryCannotPassTheRealConnectionAsItsReply(Hosts h) {
        dp.policy(Action.PASS, Rule.builder(20).tcp().ports("80").drop().build());
        // from the client's side, pretending to come from the server's port 80
        assertEquals(XdpAction.PASS, client(h.fromServer().tcp(80, CPORT).syn().seq(5)), "pass-all admits the forgery");

        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).syn().seq(100)),
                "the real SYN is a new flow, judged by the policy, not the forgery's reply");
        assertEquals(1, dp.count(Stat.DROP_POLICY));
        assertEquals(1, dp.count(Stat.CT_WRONG_SIDE));
        assertEquals(0, dp.count(Stat.REPLY));
    }

    /** When the policy admits both, the real connection gets its own entry, and its replies find it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void theRealConnectionLivesBesideTheSpoofedEntry(Hosts h) {
        dp.policy(Action.PASS);
        client(h.fromServer().tcp(80, CPORT).syn().seq(5));
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).syn().seq(100)));
        assertEquals(TcpState.SYN_SENT, conn(h).tcpState(), "an entry under the client's tuple");
        assertEquals(XdpAction.PASS, server(h.fromServer().tcp(80, CPORT).syn().ack().seq(900).ackNumber(101)));
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState(), "the server's answer is the real connection's reply");
        assertEquals(2, dp.tables().conns().keys().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aReplyFromTheSideThatOpenedTheConnectionIsNoReply(Hosts h) {
        handshake(h);
        assertEquals(XdpAction.DROP, client(h.fromServer().tcp(80, CPORT).ack().seq(901).ackNumber(101).payload("x")),
                "the server's tuple, sent in from the client's side");
        assertEquals(1, dp.count(Stat.CT_WRONG_SIDE));
        assertEquals(1, dp.count(Stat.DROP_TCP_NO_CONN), "judged as what it is: a segment of no connection");
        assertEquals(XdpAction.DROP, server(h.fromClient().tcp(CPORT, 80).ack().seq(101).ackNumber(901).payload("x")),
                "nor the client's tuple from the server's side");
        assertEquals(2, dp.count(Stat.CT_WRONG_SIDE));
    }

    // ---- RFC 5961: RST, FIN and SYN within the window

    /** Anyone who can guess a 4-tuple could otherwise kill a connection (attack 6 of issue 10). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aForgedRstOutsideTheWindowIsDroppedAndTheConnectionLives(Hosts h) {
        handshake(h);
        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).rst().seq(101 + 1_000_000)));
        assertEquals(XdpAction.DROP, server(h.fromServer().tcp(80, CPORT).rst().ack().seq(901 + 2_000_000).ackNumber(101)));
        assertEquals(2, dp.count(Stat.DROP_TCP_WINDOW));
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState());
        assertEquals(0, dp.count(Stat.CLOSED));
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).ack().seq(101).ackNumber(901).payload("GET")),
                "the connection goes on");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void anInWindowRstThatIsNotExactPassesForTheChallengeAndKeepsTheConnection(Hosts h) {
        handshake(h);
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).rst().seq(101 + 1000)));
        assertEquals(1, dp.count(Stat.RST_CHALLENGE));
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState(), "the endpoint answers with a challenge ACK");
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).rst().seq(101)), "exactly the next: closes");
        assertEquals(TcpState.CLOSED, conn(h).tcpState());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void finAndSynOutsideTheWindowAreDropped(Hosts h) {
        handshake(h);
        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).fin().ack().seq(3_000_000).ackNumber(901)));
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState(), "the forged FIN closed nothing");
        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).syn().seq(3_000_000)));
        assertEquals(2, dp.count(Stat.DROP_TCP_WINDOW));
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).syn().seq(150)),
                "a SYN in the window passes for the endpoint's challenge ACK");
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState(), "and changes nothing here");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void theInitiatorNeverSendsASynAck(Hosts h) {
        handshake(h);
        assertEquals(XdpAction.DROP, client(h.fromClient().tcp(CPORT, 80).syn().ack().seq(101).ackNumber(901)));
        assertEquals(1, dp.count(Stat.DROP_TCP_INVALID));
        assertEquals(XdpAction.PASS, server(h.fromServer().tcp(80, CPORT).syn().ack().seq(900).ackNumber(101)),
                "the server's retransmitted SYN-ACK is exact and passes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aSynAckThatDoesNotAcknowledgeTheSynIsInvalid(Hosts h) {
        assertEquals(XdpAction.PASS, client(h.fromClient().tcp(CPORT, 80).syn().seq(100)));
        assertEquals(XdpAction.DROP, server(h.fromServer().tcp(80, CPORT).syn().ack().seq(900).ackNumber(555)));
        assertEquals(1, dp.count(Stat.DROP_TCP_INVALID));
        assertEquals(TcpState.SYN_SENT, conn(h).tcpState());
        assertEquals(XdpAction.DROP, server(h.fromServer().tcp(80, CPORT).rst().ack().seq(0).ackNumber(555)),
                "nor may a RST that does not acknowledge it refuse the SYN");
        assertEquals(TcpState.SYN_SENT, conn(h).tcpState());
    }

    /** Window scale 7 from both (RFC 7323): a window field of 1000 means 128,000 bytes. */
    @ParameterizedTest(name = "{0}: both announce a scale: {1}")
    @MethodSource("scales")
    void windowScalingWidensTheWindowOnlyWhenBothAnnounceIt(Hosts h, boolean both) {
        byte[] wscale7 = {1, 3, 3, 7};
        byte[] mss = {2, 4, 5, (byte) 0xb4};
        client(h.fromClient().tcp(CPORT, 80).syn().seq(100).tcpOptions(wscale7));
        server(h.fromServer().tcp(80, CPORT).syn().ack().seq(900).ackNumber(101).tcpOptions(both ? wscale7 : mss));
        client(h.fromClient().tcp(CPORT, 80).ack().seq(101).ackNumber(901).window(1000));
        XdpAction rst = server(h.fromServer().tcp(80, CPORT).rst().ack().seq(901 + 100_000).ackNumber(101));
        assertEquals(both ? XdpAction.PASS : XdpAction.DROP, rst, "100,000 bytes ahead of what the client acknowledged");
        assertEquals(both ? 1 : 0, dp.count(Stat.RST_CHALLENGE));
        assertEquals(TcpState.ESTABLISHED, conn(h).tcpState());
    }

    static Stream<Arguments> scales() {
        return families().flatMap(h -> Stream.of(Arguments.of(h, true), Arguments.of(h, false)));
    }

    // ---- ICMP errors: RELATED only

    /** An ICMP error quoting the IP header and first 8 bytes of {@code quoted}. */
    private static PacketBuilder icmpError(Hosts h, boolean toClient, byte[] quoted) {
        int cut = 14 + (h.v6() ? 40 : 20) + 8;
        byte[] quote = java.util.Arrays.copyOfRange(quoted, 14, cut);
        PacketBuilder b = toClient ? (h.v6() ? new PacketBuilder().ipv6("2001:db8:9::1", h.client())
                : new PacketBuilder().ipv4("198.19.9.1", h.client()))
                : (h.v6() ? new PacketBuilder().ipv6("2001:db8:9::1", h.server())
                : new PacketBuilder().ipv4("198.19.9.1", h.server()));
        return (h.v6() ? b.icmpv6(2, 0, 0, 1280) : b.icmp(3, 4, 0, 1400)).payload(quote);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void anIcmpErrorPassesOnlyForAKnownConnectionFromTheFarSide(Hosts h) {
        handshake(h);
        byte[] clientData = h.fromClient().tcp(CPORT, 80).ack().seq(101).ackNumber(901).payload("x".repeat(1400)).build();
        // "too big" from a router on the server's side, about the client's segment
        assertEquals(XdpAction.PASS, server(icmpError(h, true, clientData)));
        assertEquals(1, dp.count(Stat.ICMP_RELATED));
        // the same error, sent in from the client's side: the segment never went that way
        assertEquals(XdpAction.DROP, client(icmpError(h, true, clientData)));
        // about the server's segment, from the client's side: related
        byte[] serverData = h.fromServer().tcp(80, CPORT).ack().seq(901).ackNumber(101).payload("y".repeat(1400)).build();
        assertEquals(XdpAction.PASS, client(icmpError(h, false, serverData)));
        assertEquals(2, dp.count(Stat.ICMP_RELATED));
        // quoting a connection that does not exist
        byte[] stranger = h.fromClient().tcp(CPORT + 1, 80).ack().payload("z").build();
        assertEquals(XdpAction.DROP, server(icmpError(h, true, stranger)));
        assertEquals(2, dp.count(Stat.DROP_ICMP_UNRELATED));
        assertEquals(2, dp.count(Stat.DROP));
    }

    @Test
    void anIcmpErrorAddressedToSomeoneElseIsUnrelated() {
        Hosts h = new Hosts(CLIENT4, SERVER4);
        handshake(h);
        byte[] clientData = h.fromClient().tcp(CPORT, 80).ack().seq(101).ackNumber(901).payload("x").build();
        byte[] quote = java.util.Arrays.copyOfRange(clientData, 14, 14 + 28);
        assertEquals(XdpAction.DROP, server(new PacketBuilder().ipv4("198.19.9.1", "198.18.1.99").icmp(3, 1).payload(quote)));
        assertEquals(1, dp.count(Stat.DROP_ICMP_UNRELATED));
    }

    // ---- events

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void eventsNameTheFlowAndTheReason(Hosts h) {
        dp.policy(Action.DROP, Rule.builder(5).tcp().ports("23").drop().build(),
                Rule.builder(6).tcp().ports("80").pass().build());
        client(h.fromClient().tcp(CPORT, 80).syn());
        client(h.fromClient().tcp(CPORT, 23).syn());
        client(h.fromClient().tcp(CPORT, 25).syn());
        List<Event> events = dp.events();
        assertEquals(3, events.size(), events.toString());

        Event admitted = events.get(0);
        assertEquals(EventType.NEW, admitted.type());
        assertEquals(h.tcp(), admitted.orig());
        assertTrue(admitted.nat().isZero());
        assertEquals(6, admitted.ruleId());
        assertEquals(conn(h).id(), admitted.connId());
        assertNull(admitted.reason(), "only drops carry a reason");

        Event byRule = events.get(1);
        assertEquals(EventType.DROP, byRule.type());
        assertEquals(Stat.DROP_POLICY, byRule.reason());
        assertEquals(5, byRule.ruleId());
        assertEquals(Tuple.of(inet(h.client()), CPORT, inet(h.server()), 23, TCP), byRule.orig());
        assertEquals(0, byRule.connId(), "a refused flow has no connection");

        Event byDefault = events.get(2);
        assertEquals(EventType.DROP, byDefault.type());
        assertEquals(Stat.DROP_DEFAULT, byDefault.reason());
        assertEquals(Conn.DEFAULT_RULE_ID, byDefault.ruleId());
        assertEquals(Tuple.of(inet(h.client()), CPORT, inet(h.server()), 25, TCP), byDefault.orig());

        assertEquals(1, dp.count(Stat.DROP_POLICY));
        assertEquals(1, dp.count(Stat.DROP_DEFAULT));
        assertFalse(dp.tables().conns().get(byRule.orig()).isPresent());
    }

    @Test
    void countersMatchTheVerdicts() {
        Hosts h = new Hosts(CLIENT4, SERVER4);
        handshake(h);
        client(h.fromClient().tcp(CPORT + 1, 80).ack());
        server(h.fromServer().udp(53, CPORT).payload("x"));
        long pass = dp.count(Stat.PASS);
        long drop = dp.count(Stat.DROP);
        assertEquals(3, pass);
        assertEquals(2, drop);
        assertEquals(drop, dp.count(Stat.DROP_TCP_NO_CONN) + dp.count(Stat.DROP_DEFAULT),
                "every drop moves exactly one reason");
        assertEquals(1, dp.count(Stat.NEW_FLOW));
        assertEquals(2, dp.count(Stat.ESTABLISHED));
        assertEquals(1, dp.count(Stat.REPLY));
    }
}
