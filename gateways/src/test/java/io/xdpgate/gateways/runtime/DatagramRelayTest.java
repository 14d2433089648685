package io.xdpgate.gateways.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.IpProto;
import io.xdpgate.abi.Meta;
import io.xdpgate.datapath.packet.ChecksumVerifier;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.gateways.runtime.RuntimeStats.Counter;
import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.DatagramSession;
import io.xdpgate.gateways.spi.DatagramVerdict;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The UDP path of the runtime over heap frames: what a datagram gateway's verdicts do on the
 * wire (forwarded unchanged, dropped and counted, answered in the server's place with a frame a
 * receiver takes), what no receiver would take (refused before the gateway sees it), and flows
 * coming and going.
 */
class DatagramRelayTest {
    private static final int CPORT = 40000;
    private static final int GWPORT = 50000;
    private static final long CONN = 7;

    /** Client datagrams starting "deny" are dropped, "ask" answered with "no"; server "spoof" dropped. */
    private final List<String> seen = new ArrayList<>();
    private final List<FlowContext> opened = new ArrayList<>();
    private int closed;
    private final ApplicationGateway gateway = new ApplicationGateway() {
        @Override
        public GatewaySession open(FlowContext flow) {
            throw new AssertionError("no TCP here");
        }

        @Override
        public DatagramSession openDatagrams(FlowContext flow) {
            opened.add(flow);
            return new DatagramSession() {
                @Override
                public DatagramVerdict onClientDatagram(ByteBuffer payload) {
                    String p = text(payload);
                    seen.add("c:" + p);
                    if (p.startsWith("deny")) {
                        return DatagramVerdict.drop("denied " + p);
                    }
                    return p.startsWith("ask") ? DatagramVerdict.reply("asked", "no".getBytes(StandardCharsets.US_ASCII))
                            : DatagramVerdict.FORWARD;
                }

                @Override
                public DatagramVerdict onServerDatagram(ByteBuffer payload) {
                    String p = text(payload);
                    seen.add("s:" + p);
                    if (p.startsWith("ask")) {
                        return DatagramVerdict.reply("a server cannot be answered", new byte[] {1});
                    }
                    return p.startsWith("spoof") ? DatagramVerdict.drop("spoofed") : DatagramVerdict.FORWARD;
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    };

    private boolean v6;
    private String client;
    private String gw;
    private String server;
    private HeapFrames io;
    private GatewayRuntime rt;
    private long now = 1_000_000_000L;

    private void start(boolean ipv6, GatewayRuntime.Limits limits, OriginLookup lookup) {
        v6 = ipv6;
        client = ipv6 ? "2001:db8:1::2" : "198.18.1.2";
        gw = ipv6 ? "2001:db8:ff::1" : "198.18.255.1";
        server = ipv6 ? "2001:db8:2::2" : "198.18.2.2";
        io = new HeapFrames(16);
        rt = new GatewayRuntime("test", gateway, io, lookup, limits, () -> now);
    }

    private void start(boolean ipv6) {
        start(ipv6, GatewayRuntime.Limits.DEFAULT, OriginLookup.NONE);
    }

    private static String text(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.ISO_8859_1);
    }

    private PacketBuilder datagram(boolean fromClient, int cport, String payload) {
        PacketBuilder b = new PacketBuilder().srcMac("02:00:00:00:00:b0").dstMac("02:00:00:00:00:b1");
        b = v6 ? b.ipv6(fromClient ? client : gw, fromClient ? gw : client) : b.ipv4(fromClient ? client : gw, fromClient ? gw : client);
        return b.udp(fromClient ? cport : GWPORT, fromClient ? GWPORT : cport).payload(payload);
    }

    private byte[] meta(long conn, boolean fromClient) {
        return Meta.CODEC.toBytes(Meta.of(conn, IpAddr.of(RuntimeHarness.addr(server)), 53,
                fromClient ? Abi.XG_DIR_ORIG : Abi.XG_DIR_REPLY, 0));
    }

    private void in(boolean fromClient, byte[] frame) {
        in(frame, meta(CONN, fromClient));
    }

    private void in(byte[] frame, byte[] meta) {
        rt.receive(io.receive(frame, meta), frame.length);
    }

    private long count(Counter c) {
        return rt.stats().get(c);
    }

    private void assertNoLeak() {
        assertEquals(0, io.inUse(io.chunks()), "every frame sent or freed");
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void forwardedDatagramsGoOnUnchangedBothWays(boolean ipv6) {
        start(ipv6);
        byte[] query = datagram(true, CPORT, "query").build();
        byte[] answer = datagram(false, CPORT, "answer").build();
        in(true, query);
        in(false, answer);
        assertEquals(List.of("c:query", "s:answer"), seen);
        assertEquals(List.of(new FlowContext(CONN, new InetSocketAddress(RuntimeHarness.addr(client), CPORT),
                new InetSocketAddress(RuntimeHarness.addr(server), 53))), opened);
        assertEquals(2, io.sent.size());
        PacketView out = PacketView.parse(io.sent.get(0));
        assertArrayEquals(PacketView.parse(query).payload(), out.payload());
        assertEquals(RuntimeHarness.addr(client), out.srcAddress(), "addresses untouched: the packet processor restores them");
        assertEquals(RuntimeHarness.addr(gw), out.dstAddress());
        assertEquals("02:00:00:00:00:b0", out.dstMac().toString(), "back the way it came");
        assertArrayEquals(PacketView.parse(answer).payload(), PacketView.parse(io.sent.get(1)).payload());
        assertEquals(5, count(Counter.BYTES_CLIENT));
        assertEquals(6, count(Counter.BYTES_SERVER));
        assertEquals(1, rt.flowCount());
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aDropGoesNowhereAndAReplyAnswersTheClientInTheServersPlace(boolean ipv6) {
        start(ipv6);
        in(true, datagram(true, CPORT, "deny me").build());
        assertEquals(List.of(), io.sent);
        assertEquals(1, count(Counter.DATAGRAMS_REFUSED));
        in(true, datagram(true, CPORT, "ask").build());
        assertEquals(1, io.sent.size());
        PacketView reply = PacketView.parse(io.sent.get(0));
        assertEquals(IpProto.UDP, reply.protocol());
        assertEquals(RuntimeHarness.addr(gw), reply.srcAddress(), "in the NAT view: the packet processor makes it the server's");
        assertEquals(RuntimeHarness.addr(client), reply.dstAddress());
        assertEquals(GWPORT, reply.srcPort());
        assertEquals(CPORT, reply.dstPort());
        assertEquals("no", new String(reply.payload(), StandardCharsets.US_ASCII));
        assertTrue(ChecksumVerifier.verify(io.sent.get(0)).allCorrect(), ChecksumVerifier.verify(io.sent.get(0)).toString());
        assertEquals(2, count(Counter.DATAGRAMS_REFUSED));
        assertEquals(1, count(Counter.DATAGRAMS_ANSWERED));
        in(false, datagram(false, CPORT, "spoofed answer").build());
        in(false, datagram(false, CPORT, "ask back").build());
        assertEquals(1, io.sent.size(), "nothing towards the server is ever made up");
        assertEquals(4, count(Counter.DATAGRAMS_REFUSED));
        assertEquals(0, count(Counter.BYTES_CLIENT) + count(Counter.BYTES_SERVER));
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void whatNoReceiverWouldTakeIsRefusedBeforeTheGatewaySeesIt(boolean ipv6) {
        start(ipv6);
        in(true, datagram(true, CPORT, "hidden tail").udpLength(8 + 6).build());
        in(true, datagram(true, CPORT, "too long").udpLength(8 + 20).build());
        assertEquals(2, count(Counter.DROP_MALFORMED), "a UDP length other than the IP payload's");
        in(true, datagram(true, CPORT, "bad").breakL4Checksum().build());
        PacketBuilder fragment = datagram(true, CPORT, "fragment");
        in(true, (ipv6 ? fragment.fragmentHeader(0, true, 1) : fragment.moreFragments()).build());
        assertEquals(3, count(Counter.DROP_MALFORMED), "a fragment: the receiver reassembles what the gateway never saw whole");
        in(true, datagram(true, CPORT, "dying").ttl(1).build());
        assertEquals(1, count(Counter.DROP_BAD_CHECKSUM));
        assertEquals(1, count(Counter.DROP_TTL));
        assertEquals(List.of(), seen);
        in(true, datagram(true, CPORT, "unchecked").l4Checksum(0).build());
        assertEquals(ipv6 ? List.of() : List.of("c:unchecked"), seen, "no checksum: allowed over IPv4 only (RFC 8200 8.1)");
        assertEquals(ipv6 ? 2 : 1, count(Counter.DROP_BAD_CHECKSUM));
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aServerDatagramOfNoFlowIsDropped(boolean ipv6) {
        start(ipv6);
        in(false, datagram(false, CPORT, "unasked").build());
        assertEquals(1, count(Counter.DROP_NO_FLOW));
        assertEquals(List.of(), seen);
        assertEquals(0, rt.flowCount());
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void flowsExpireWhenSilentAndANewConnectionIdIsANewFlow(boolean ipv6) {
        start(ipv6);
        in(true, datagram(true, CPORT, "one").build());
        in(datagram(true, CPORT, "two").build(), meta(CONN + 1, true));
        assertEquals(2, opened.size(), "the packet processor tracked a new flow on the same ports");
        assertEquals(1, closed);
        now += DatagramRelay.MAX_IDLE_NS - 1;
        rt.tick();
        assertEquals(1, rt.flowCount());
        now += 1;
        rt.tick();
        assertEquals(0, rt.flowCount());
        assertEquals(2, closed);
        assertEquals(1, count(Counter.FLOWS_EXPIRED));
        assertNoLeak();
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aFullTableRefusesNewFlowsAndTheLookupFindsSourceNatedOnes(boolean ipv6) {
        List<Integer> protos = new ArrayList<>();
        OriginLookup lookup = (proto, c, cport, gport) -> {
            protos.add(proto);
            return Optional.of(new FlowContext(9, new InetSocketAddress(RuntimeHarness.addr(client), 1234),
                    new InetSocketAddress(RuntimeHarness.addr(server), 53)));
        };
        start(ipv6, new GatewayRuntime.Limits(1, 1_000_000_000L, 1, 1), lookup);
        in(datagram(true, CPORT, "a").build(), null);
        in(datagram(true, CPORT + 1, "b").build(), null);
        assertEquals(List.of(IpProto.UDP), protos, "looked up as UDP");
        assertEquals(1, count(Counter.DROP_FLOW_LIMIT));
        assertEquals(List.of("c:a"), seen);
        assertEquals(1234, opened.get(0).client().getPort());
        assertNoLeak();
    }
}
