package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.GATEWAY4;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.Stat;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.ChecksumVerifier;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.packet.PacketView;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.Hook;
import io.xdpgate.datapath.tables.LoadTimeSettings;
import io.xdpgate.datapath.testing.Commands;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.NetnsThread;
import io.xdpgate.datapath.testing.TestNetwork;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fast-path forwarding (cfg_forward): an admitted packet whose route leads out of a managed
 * interface to a known next hop leaves rewritten for that hop (MACs, TTL or hop limit, checksum)
 * past the stack; everything the stack must handle itself goes there with its reason counted.
 *
 * <p>The routes, neighbours and devices are a namespace's own: a router with an inside link
 * (i0), a managed outside link (o0, its next hop 198.18.2.2 known), an unmanaged link (u0) and a
 * managed link of MTU 600 (m0) that 198.18.4.0/24 is routed over, and a route of locked MTU 600
 * behind 198.18.2.2. Runs happen on a thread inside it, where the test run finds
 * the ingress device and bpf_fib_lookup routes. Not recorded as fixtures: the replay on other
 * kernels has no such namespace (bpf/README.md); the decision logic before the lookup is the one
 * every recorded suite checks.
 */
@KernelTest
class ForwardKernelTest {
    /** Far from any ifindex the root namespace hands out in a test run: the ifaces map is one for all namespaces. */
    private static final int I0 = 60001;
    private static final int O0 = 60003;
    private static final int U0 = 60005;
    private static final int M0 = 60007;
    private static final MacAddr M0_MAC = MacAddr.parse("02:00:00:00:f5:00");
    private static final MacAddr I0_MAC = MacAddr.parse("02:00:00:00:f1:00");
    private static final MacAddr O0_MAC = MacAddr.parse("02:00:00:00:f2:00");
    private static final MacAddr CLIENT_MAC = MacAddr.parse("02:00:00:00:f1:02");
    private static final MacAddr SERVER_MAC = MacAddr.parse("02:00:00:00:f2:02");
    private static final String CLIENT4 = "198.18.1.2";
    private static final String SERVER4 = "198.18.2.2";
    private static final String CLIENT6 = "2001:db8:1::2";
    private static final String SERVER6 = "2001:db8:2::2";

    private static TestNetwork net;
    private static NetnsThread router;
    private static Datapath dp;

    @BeforeAll
    static void router() {
        net = new TestNetwork();
        String ns = net.netns("fw");
        link(ns, "i", I0, I0_MAC);
        link(ns, "o", O0, O0_MAC);
        link(ns, "u", U0, MacAddr.parse("02:00:00:00:f3:00"));
        ip(ns, "addr", "add", "198.18.1.1/24", "dev", "i0");
        ip(ns, "addr", "add", "2001:db8:1::1/64", "dev", "i0", "nodad");
        ip(ns, "addr", "add", "198.18.2.1/24", "dev", "o0");
        ip(ns, "addr", "add", "2001:db8:2::1/64", "dev", "o0", "nodad");
        ip(ns, "addr", "add", "198.18.3.1/24", "dev", "u0");
        ip(ns, "neigh", "add", CLIENT4, "lladdr", CLIENT_MAC.toString(), "dev", "i0", "nud", "permanent");
        ip(ns, "neigh", "add", CLIENT6, "lladdr", CLIENT_MAC.toString(), "dev", "i0", "nud", "permanent");
        ip(ns, "neigh", "add", SERVER4, "lladdr", SERVER_MAC.toString(), "dev", "o0", "nud", "permanent");
        ip(ns, "neigh", "add", SERVER6, "lladdr", SERVER_MAC.toString(), "dev", "o0", "nud", "permanent");
        ip(ns, "neigh", "add", "198.18.3.2", "lladdr", "02:00:00:00:f3:02", "dev", "u0", "nud", "permanent");
        link(ns, "m", M0, M0_MAC);
        ip(ns, "link", "set", "m0", "mtu", "600");
        ip(ns, "addr", "add", "198.18.5.1/24", "dev", "m0");
        ip(ns, "neigh", "add", "198.18.5.2", "lladdr", SERVER_MAC.toString(), "dev", "m0", "nud", "permanent");
        ip(ns, "route", "add", "198.18.4.0/24", "via", "198.18.5.2");
        // Locked: a router heeds a route's MTU for forwarded packets only then, as the stack does.
        ip(ns, "route", "add", "198.18.6.0/24", "via", SERVER4, "mtu", "lock", "600");
        ip(ns, "route", "add", "unreachable", "198.18.9.0/24");
        Commands.run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1",
                "net.ipv6.conf.all.forwarding=1");
        router = new NetnsThread(ns);
        dp = Datapath.loadUnrecorded(LoadTimeSettings.DEFAULTS.withFibForward(true)::applyTo);
    }

    /** A veth pair {@code <p>0}/{@code <p>1} in the namespace, the router's end at {@code index}. */
    private static void link(String ns, String p, int index, MacAddr mac) {
        ip(ns, "link", "add", p + "0", "index", String.valueOf(index), "address", mac.toString(), "type", "veth",
                "peer", "name", p + "1", "index", String.valueOf(index + 1));
        ip(ns, "link", "set", p + "0", "up");
        ip(ns, "link", "set", p + "1", "up");
    }

    private static void ip(String ns, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "ip";
        command[1] = "-n";
        command[2] = ns;
        System.arraycopy(args, 0, command, 3, args.length);
        Commands.run(command);
    }

    @AfterAll
    static void tearDown() {
        if (dp != null) {
            dp.close();
        }
        if (router != null) {
            router.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @BeforeEach
    void passAllButWebToTheGateway() {
        dp.reset();
        // Each runs XDP (at the XDP hook only such an egress is forwarded to).
        dp.tables().ifaces().put(I0, new Iface(Role.EXTERNAL, 0, 0, I0_MAC, Abi.XG_IFACE_F_XDP));
        dp.tables().ifaces().put(O0, new Iface(Role.INTERNAL, 0, 0, O0_MAC, Abi.XG_IFACE_F_XDP));
        dp.tables().ifaces().put(M0, new Iface(Role.INTERNAL, 0, 0, M0_MAC, Abi.XG_IFACE_F_XDP));
        router.call(() -> {
            dp.tables().fwdPorts().put(I0, I0);
            dp.tables().fwdPorts().put(O0, O0);
            dp.tables().fwdPorts().put(M0, M0);
            return null;
        });
        dp.gateway(0, Datapath.gateway(GATEWAY4, GATEWAY6, 40000, 100, Abi.XG_GW_F_ACTIVE));
        dp.policy(Action.PASS, Rule.builder(1).tcp().ports("80").redirect(0).build());
    }

    private static Datapath.Run from(int ifindex, PacketBuilder b) {
        byte[] frame = b.build();
        return router.call(() -> dp.runOn(ifindex, frame));
    }

    private static PacketBuilder client4(String dst) {
        return new PacketBuilder().dstMac(I0_MAC).srcMac(CLIENT_MAC).ipv4(CLIENT4, dst).tcp(40000, 443).syn();
    }

    /** Forwarded: rewritten for the next hop, TTL one less, every checksum right, counted. */
    private static PacketView assertForwarded(Datapath.Run run, MacAddr from, MacAddr to, int ttl) {
        assertEquals(XdpAction.REDIRECT, run.action(), "forwarded by redirect");
        PacketView out = PacketView.parse(run.packet());
        assertEquals(to, out.dstMac(), "next hop's address");
        assertEquals(from, out.srcMac(), "egress interface's address");
        assertEquals(ttl, out.ttl(), "TTL or hop limit");
        assertTrue(ChecksumVerifier.verify(run.packet()).allCorrect(), ChecksumVerifier.verify(run.packet()).toString());
        return out;
    }

    /** Sent in from the inside, it goes to the stack untouched, for {@code reason}. */
    private static void assertSentToStack(PacketBuilder b, Stat reason) {
        assertToStack(from(I0, b), b.build(), reason);
    }

    /** To the stack untouched, for {@code reason}. */
    private static void assertToStack(Datapath.Run run, byte[] sent, Stat reason) {
        assertEquals(XdpAction.PASS, run.action(), "to the stack");
        assertArrayEquals(sent, run.packet(), "unchanged");
        assertEquals(1, dp.count(reason), reason.name());
        assertEquals(0, dp.count(Stat.FWD), "forwarded");
    }

    @Test
    void anAdmittedIpv4PacketGoesStraightToTheNextHop() {
        var run = from(I0, client4(SERVER4).ttl(64).payload("hello"));
        PacketView out = assertForwarded(run, O0_MAC, SERVER_MAC, 63);
        assertEquals("hello", new String(Arrays.copyOfRange(run.packet(), out.l4Offset() + 20, out.ipEnd())));
        assertEquals(1, dp.count(Stat.FWD));
        assertEquals(1, dp.count(Stat.PASS), "a forwarded packet is an admitted one");
    }

    @Test
    void anAdmittedIpv6PacketGoesStraightToTheNextHop() {
        var b = new PacketBuilder().dstMac(I0_MAC).srcMac(CLIENT_MAC).ipv6(CLIENT6, SERVER6).hopLimit(64)
                .udp(40000, 5353).payload("dns?");
        assertForwarded(from(I0, b), O0_MAC, SERVER_MAC, 63);
        assertEquals(1, dp.count(Stat.FWD));
    }

    @Test
    void theReplyOfAForwardedConnectionIsForwardedBackThroughTheTable() {
        assertForwarded(from(I0, client4(SERVER4).seq(1000)), O0_MAC, SERVER_MAC, 63);
        var synAck = new PacketBuilder().dstMac(O0_MAC).srcMac(SERVER_MAC).ipv4(SERVER4, CLIENT4).tcp(443, 40000)
                .syn().ack().seq(5000).ackNumber(1001);
        assertForwarded(from(O0, synAck), I0_MAC, CLIENT_MAC, 63);
        assertEquals(2, dp.count(Stat.FWD));
    }

    @Test
    void aPacketForThisHostGoesToTheStack() {
        assertSentToStack(client4("198.18.1.1"), Stat.FWD_LOCAL);
    }

    @Test
    void aDestinationWithoutARouteGoesToTheStackToBeAnswered() {
        assertSentToStack(client4("198.18.8.8"), Stat.FWD_LOCAL);
    }

    @Test
    void anUnreachableRouteGoesToTheStackToBeAnswered() {
        assertSentToStack(client4("198.18.9.9"), Stat.FWD_STACK);
    }

    @Test
    void aNextHopNotYetResolvedGoesToTheStackWhichResolvesIt() {
        assertSentToStack(client4("198.18.2.3"), Stat.FWD_NO_NEIGH);
    }

    @Test
    void aPacketOverTheEgressMtuGoesToTheStackToFragmentOrRefuse() {
        assertSentToStack(client4("198.18.4.5").payload(new byte[1000]), Stat.FWD_FRAG_NEEDED);
        var small = client4("198.18.4.5").payload(new byte[500]);
        assertForwarded(from(I0, small), M0_MAC, SERVER_MAC, 63);
    }

    @Test
    void aPacketOverALockedRouteMtuGoesToTheStackToo() {
        assertSentToStack(client4("198.18.6.5").payload(new byte[1000]), Stat.FWD_FRAG_NEEDED);
    }

    @Test
    void anEgressXdpgateDoesNotManageIsTheStacksToUse() {
        assertSentToStack(client4("198.18.3.2"), Stat.FWD_STACK);
    }

    /**
     * An XDP frame redirected into a device that cannot take it is lost (a veth at tc whose peer
     * has no NAPI): from XDP only an egress that runs XDP is forwarded to; tc forwards to any.
     */
    @Test
    void fromXdpAnEgressAtTcIsTheStacksFromTcItIsForwarded() {
        dp.tables().ifaces().put(O0, new Iface(Role.INTERNAL, 0, 0, O0_MAC, 0));
        var run = from(I0, client4(SERVER4));
        if (Datapath.HOOK == Hook.XDP) {
            assertToStack(run, client4(SERVER4).build(), Stat.FWD_STACK);
        } else {
            assertForwarded(run, O0_MAC, SERVER_MAC, 63);
        }
    }

    @Test
    void anExpiringTtlGoesToTheStackForItsTimeExceeded() {
        assertSentToStack(client4(SERVER4).ttl(1), Stat.FWD_STACK);
    }

    @Test
    void aVlanTaggedFrameIsForItsVlanDeviceToRoute() {
        assertSentToStack(client4(SERVER4).vlan(5), Stat.FWD_STACK);
    }

    @Test
    void aFlowForTheGatewayIsRedirectedThereNotForwarded() {
        var web = new PacketBuilder().dstMac(I0_MAC).srcMac(CLIENT_MAC).ipv4(CLIENT4, SERVER4).tcp(40001, 80).syn();
        var run = from(I0, web);
        assertEquals(XdpAction.REDIRECT, run.action());
        PacketView out = PacketView.parse(run.packet());
        assertEquals(Datapath.GW_MAC, out.dstMac(), "to the gateway");
        assertEquals(1, dp.count(Stat.REDIRECT));
        assertEquals(0, dp.count(Stat.FWD));
    }

    @Test
    void aDroppedPacketIsNeverForwarded() {
        dp.policy(Action.DROP);
        var run = from(I0, client4(SERVER4));
        assertEquals(XdpAction.DROP, run.action());
        assertEquals(0, dp.count(Stat.FWD));
    }
}
