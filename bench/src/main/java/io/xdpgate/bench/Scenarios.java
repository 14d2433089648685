package io.xdpgate.bench;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.AddressLiteral;
import io.xdpgate.abi.Gateway;
import io.xdpgate.abi.Iface;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.MacAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.datapath.bpf.BpfProgram;
import io.xdpgate.datapath.bpf.TestRunRequest;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.PolicyCompiler;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.PolicyTables;
import io.xdpgate.datapath.tables.XdpgateTables;
import java.util.ArrayList;
import java.util.List;

/**
 * The paths the benchmark measures, each with the map state it needs. Frames are padded to 128
 * bytes, the span bench_pipeline saves and restores.
 */
final class Scenarios {
    static final String FLOOR = "bench_floor";
    static final String HARNESS = "bench_harness";
    static final String CONN_LOOKUP = "bench_conn_lookup";
    static final String PIPELINE = "bench_pipeline";
    static final String XDPGATE = "xdpgate_xdp";

    /** BPF_PROG_TEST_RUN delivers frames as received on loopback (ifindex 1). */
    private static final int IFINDEX = 1;
    private static final int FRAME = 128;
    private static final int GW = 0;
    private static final String CLIENT4 = "198.18.1.2";
    private static final String SERVER4 = "198.18.2.2";
    private static final String CLIENT6 = "2001:db8:1::2";
    private static final String SERVER6 = "2001:db8:2::2";
    private static final String GATEWAY4 = "198.18.100.1";
    private static final MacAddr MAC = MacAddr.parse("02:00:00:00:00:aa");

    private final XdpgateTables tables;
    private final PolicyTables policy;
    private final BpfProgram xdpgate;

    Scenarios(XdpgateTables tables, BpfProgram xdpgate) {
        this.tables = tables;
        this.policy = new PolicyTables(tables);
        this.xdpgate = xdpgate;
    }

    List<Scenario> all() {
        List<Scenario> out = new ArrayList<>();
        byte[] ack4 = new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(40000, 80).ack().padTo(FRAME).build();
        byte[] ack6 = new PacketBuilder().ipv6(CLIENT6, SERVER6).tcp(40000, 80).ack().padTo(FRAME).build();
        out.add(new Scenario("trivial XDP_PASS (floor)", FLOOR, ack4, () -> { }, false));
        out.add(new Scenario("harness: save + restore 128 B, no pipeline", HARNESS, ack4, () -> { }, false));
        out.add(new Scenario("parse + one conns lookup, nothing else (stateful floor)", CONN_LOOKUP, ack4,
                () -> established(CLIENT4, SERVER4), false));
        out.add(new Scenario("established TCP/IPv4, pass", XDPGATE, ack4, () -> established(CLIENT4, SERVER4), false));
        out.add(new Scenario("established TCP/IPv6, pass", XDPGATE, ack6, () -> established(CLIENT6, SERVER6), false));
        out.add(new Scenario("established TCP/IPv4, redirect NAT to gateway", PIPELINE, ack4, this::redirected, true));
        out.add(new Scenario("from gateway, restore to original tuple", PIPELINE, natFrame(ack4),
                this::fromGateway, true));
        for (int n : new int[] {1, 100, 1_000, 10_000}) {
            out.add(new Scenario("new flow, " + String.format("%,d", n) + " rules (distinct /32s, last matches)",
                    XDPGATE, syn(), () -> typicalRules(n), false));
        }
        out.add(new Scenario("new flow, 10,000 rules, dense worst case (every word scanned)", XDPGATE, syn(),
                () -> denseRules(10_000), false));
        return out;
    }

    private static byte[] syn() {
        return new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(40001, 80).syn().padTo(FRAME).build();
    }

    private void blank(Role role) {
        tables.conns().clear();
        tables.natRev().clear();
        tables.ifaces().put(IFINDEX, new Iface(role, GW, MAC));
        tables.gateways().put(GW, new Gateway(IpAddr.ZERO, IpAddr.ZERO, ip(GATEWAY4).ipv4Bits(), 0, 40000, 1000,
                0, 0, IFINDEX, MAC, MAC, Abi.XG_GW_F_ACTIVE));
        tables.gwTx().put(Gateway.slot(GW, 0), IFINDEX);
    }

    private void established(String client, String server) {
        blank(Role.EXTERNAL);
        install(Action.DROP, Rule.builder(1).tcp().ports("80").pass().build());
        PacketBuilder syn = client.contains(":") ? new PacketBuilder().ipv6(client, server)
                : new PacketBuilder().ipv4(client, server);
        xdpgate.testRun(TestRunRequest.of(syn.tcp(40000, 80).syn().build()));
    }

    private void redirected() {
        blank(Role.EXTERNAL);
        install(Action.DROP, Rule.builder(1).tcp().ports("80").redirect(GW).build());
        xdpgate.testRun(TestRunRequest.of(new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(40000, 80).syn().build()));
    }

    private void fromGateway() {
        redirected();
        tables.ifaces().put(IFINDEX, new Iface(Role.GATEWAY, GW, MAC));
    }

    /** The frame the gateway hands back for {@code original}: what the redirect produced. */
    private byte[] natFrame(byte[] original) {
        redirected();
        return xdpgate.testRun(TestRunRequest.of(original)).packet();
    }

    /** n-1 rules for other hosts, then the matching one; the packet's fields hit only wildcards. */
    private void typicalRules(int n) {
        blank(Role.EXTERNAL);
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            rules.add(Rule.builder(i).dst("198.19." + (i / 250) + "." + (1 + i % 250) + "/32").tcp()
                    .ports(Integer.toString(1024 + i % 5000)).pass().build());
        }
        rules.add(Rule.builder(n - 1).tcp().drop().build());
        install(Action.DROP, rules.toArray(Rule[]::new));
    }

    /**
     * Every field's bitmap dense from the first word to the last, their AND empty until the last
     * rule: even rules match the source but not the destination, odd rules the destination but
     * not the protocol.
     */
    private void denseRules(int n) {
        blank(Role.EXTERNAL);
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            var b = Rule.builder(i);
            if (i % 2 == 0) {
                b.src(CLIENT4 + "/32").dst("198.19.0.1/32");
            } else {
                b.dst(SERVER4 + "/32").udp();
            }
            rules.add(b.pass().build());
        }
        rules.add(Rule.builder(n - 1).tcp().drop().build());
        install(Action.DROP, rules.toArray(Rule[]::new));
    }

    private void install(Action dflt, Rule... rules) {
        policy.apply(PolicyCompiler.compile(List.of(rules), dflt));
    }

    private static IpAddr ip(String literal) {
        return IpAddr.of(AddressLiteral.parse(literal));
    }
}
