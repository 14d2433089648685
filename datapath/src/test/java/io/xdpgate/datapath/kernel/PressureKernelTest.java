package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.GATEWAY4;
import static io.xdpgate.datapath.kernel.Addresses.GATEWAY6;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static io.xdpgate.datapath.kernel.Addresses.inet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;
import io.xdpgate.abi.Action;
import io.xdpgate.abi.Event;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.IpAddr;
import io.xdpgate.abi.Role;
import io.xdpgate.abi.SrcCount;
import io.xdpgate.abi.Stat;
import io.xdpgate.abi.Tuple;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.LoadTimeSettings;
import io.xdpgate.datapath.tables.MapNames;
import io.xdpgate.datapath.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shared tables under pressure: a SYN flood from unused addresses must not lock legitimate
 * clients out (its unconfirmed entries make room, oldest first; connections both sides took part
 * in are never evicted), and no single source may hold more than its share of a table or pool.
 */
@KernelTest
@ExtendWith(FixtureCases.class)
class PressureKernelTest {
    private static final int GW = 0;
    private static final int POOL_BASE = 40000;

    /** A SYN to 198.18.2.2 from 198.19.x.y (an address nobody answers for) to port {@code port}. */
    private static byte[] floodSyn(int i, int port) {
        return new PacketBuilder().ipv4("198.19." + (i / 250) + "." + (1 + i % 250), SERVER4)
                .tcp(30000 + i, port).syn().seq(i).build();
    }

    private static byte[] clientSyn(String client, int cport, int port) {
        return new PacketBuilder().ipv4(client, SERVER4).tcp(cport, port).syn().seq(100).build();
    }

    private static byte[] serverSynAck(String client, int cport, int port) {
        return new PacketBuilder().ipv4(SERVER4, client).tcp(port, cport).syn().ack().seq(900).ackNumber(101).build();
    }

    private static byte[] clientAck(String client, int cport, int port) {
        return new PacketBuilder().ipv4(client, SERVER4).tcp(cport, port).ack().seq(101).ackNumber(901).build();
    }

    private static Tuple tcp(String client, int cport, int port) {
        return Tuple.of(inet(client), cport, inet(SERVER4), port, 6);
    }

    /** Issue 10, attack 8: 3,000 SYNs into a full table left every new client refused for 35 s. */
    @Test
    void aFloodOfUnconfirmedSynsMakesRoomForANewClientButNeverEvictsALiveConnection() {
        try (Datapath dp = Datapath.load(o -> o.setMaxEntries(MapNames.CONNS, 8))) {
            dp.reset();
            dp.policy(Action.PASS);
            // one real connection: answered and confirmed
            assertEquals(XdpAction.PASS, dp.run(clientSyn("198.18.1.2", 41000, 8080)).action());
            dp.role(Role.INTERNAL);
            assertEquals(XdpAction.PASS, dp.run(serverSynAck("198.18.1.2", 41000, 8080)).action());
            dp.role(Role.EXTERNAL);
            assertEquals(XdpAction.PASS, dp.run(clientAck("198.18.1.2", 41000, 8080)).action());
            // the flood fills the rest of the table and goes on; the server answers some of it
            // (to the forged addresses, which never answer back)
            for (int i = 0; i < 40; i++) {
                assertEquals(XdpAction.PASS, dp.run(floodSyn(i, 8080)).action(), "flood SYN " + i);
                if (i % 2 == 0) {
                    dp.role(Role.INTERNAL);
                    dp.run(new PacketBuilder().ipv4(SERVER4, "198.19." + (i / 250) + "." + (1 + i % 250))
                            .tcp(8080, 30000 + i).syn().ack().seq(5).ackNumber(i + 1).build());
                    dp.role(Role.EXTERNAL);
                }
            }
            assertEquals(8, dp.tables().conns().keys().size(), "the table stays full");
            assertEquals(33, dp.count(Stat.EARLY_DROP), "each SYN beyond the table reclaimed an unreplied one");
            assertEquals(0, dp.count(Stat.DROP_CONN_FULL));
            assertTrue(dp.tables().conns().get(tcp("198.18.1.2", 41000, 8080)).isPresent(),
                    "the confirmed connection was never a candidate");

            // a legitimate client still gets in
            assertEquals(XdpAction.PASS, dp.run(clientSyn("198.18.1.3", 42000, 8080)).action());
            assertTrue(dp.tables().conns().get(tcp("198.18.1.3", 42000, 8080)).isPresent());
        }
    }

    @Test
    void aTableOfConfirmedConnectionsRefusesTheNextFlowCleanly() {
        try (Datapath dp = Datapath.load(o -> o.setMaxEntries(MapNames.CONNS, 2))) {
            dp.reset();
            dp.policy(Action.PASS);
            for (int i = 0; i < 2; i++) {
                dp.role(Role.EXTERNAL);
                dp.run(clientSyn("198.18.1.2", 41000 + i, 8080));
                dp.role(Role.INTERNAL);
                dp.run(serverSynAck("198.18.1.2", 41000 + i, 8080));
                dp.role(Role.EXTERNAL);
                dp.run(clientAck("198.18.1.2", 41000 + i, 8080));
            }
            dp.role(Role.EXTERNAL);
            assertEquals(XdpAction.DROP, dp.run(clientSyn("198.18.1.3", 42000, 8080)).action());
            assertEquals(1, dp.count(Stat.DROP_CONN_FULL));
            assertEquals(0, dp.count(Stat.EARLY_DROP));
        }
    }

    @Test
    void aFullPoolReclaimsAnUnrepliedRedirectOfThatGatewayOnly() {
        try (Datapath dp = Datapath.load()) {
            dp.reset();
            dp.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, 4, Abi.XG_GW_F_ACTIVE));
            dp.gateway(1, Datapath.gateway("198.18.100.9", null, 50000, 100, Abi.XG_GW_F_ACTIVE));
            dp.policy(Action.DROP, Rule.builder(1).tcp().ports("80").redirect(GW).build(),
                    Rule.builder(2).tcp().ports("81").redirect(1).build());
            // an unreplied flow of the other gateway is no candidate for this pool
            assertEquals(XdpAction.REDIRECT, dp.run(floodSyn(0, 81)).action());
            for (int i = 1; i <= 4; i++) {
                assertEquals(XdpAction.REDIRECT, dp.run(floodSyn(i, 80)).action(), "flood SYN " + i);
            }
            assertEquals(XdpAction.REDIRECT, dp.run(clientSyn("198.18.1.2", 41000, 80)).action(), "room made in the pool");
            assertEquals(1, dp.count(Stat.EARLY_DROP));
            assertEquals(0, dp.count(Stat.DROP_POOL_EXHAUSTED));
            assertTrue(dp.tables().conns().get(Tuple.of(inet("198.19.0.1"), 30000, inet(SERVER4), 81, 6)).isPresent(),
                    "the other gateway's flow is untouched");
            assertEquals(5, dp.tables().natRev().keys().size(), "the reclaimed flow's slot went with it");
            for (var e : dp.tables().natRev().entries()) {
                assertTrue(dp.tables().conns().get(e.value()).isPresent(), "no orphan slot " + e);
            }
        }
    }

    @Test
    void noSourceHoldsMoreThanItsShareOfTheTableOrOfAPool() {
        LoadTimeSettings limits = new LoadTimeSettings(true, true, 3, 2, false);
        try (Datapath dp = Datapath.load(limits::applyTo)) {
            dp.reset();
            dp.gateway(GW, Datapath.gateway(GATEWAY4, GATEWAY6, POOL_BASE, 100, Abi.XG_GW_F_ACTIVE));
            dp.policy(Action.PASS, Rule.builder(1).tcp().ports("80").redirect(GW).build());
            assertEquals(XdpAction.REDIRECT, dp.run(clientSyn("198.18.1.2", 41000, 80)).action());
            assertEquals(XdpAction.REDIRECT, dp.run(clientSyn("198.18.1.2", 41001, 80)).action());
            assertEquals(XdpAction.DROP, dp.run(clientSyn("198.18.1.2", 41002, 80)).action(), "a third pool port");
            assertEquals(1, dp.count(Stat.DROP_SRC_LIMIT));
            assertEquals(XdpAction.PASS, dp.run(clientSyn("198.18.1.2", 41003, 8080)).action(), "a third connection");
            assertEquals(XdpAction.DROP, dp.run(clientSyn("198.18.1.2", 41004, 8080)).action(), "a fourth");
            assertEquals(2, dp.count(Stat.DROP_SRC_LIMIT));
            assertEquals(XdpAction.REDIRECT, dp.run(clientSyn("198.18.1.3", 41000, 80)).action(), "another source is not held back");
            assertEquals(new SrcCount(3, 2), dp.tables().srcCounts().get(IpAddr.of(inet("198.18.1.2"))).orElseThrow());
            assertEquals(new SrcCount(1, 1), dp.tables().srcCounts().get(IpAddr.of(inet("198.18.1.3"))).orElseThrow());
            Event refused = dp.events().stream().filter(e -> e.type() == EventType.DROP).findFirst().orElseThrow();
            assertEquals(Stat.DROP_SRC_LIMIT, refused.reason(), "a refusal is an event, so the flow log names it");

            // a RST at the next sequence number closes one; a new SYN on its tuple replaces it
            dp.run(new PacketBuilder().ipv4("198.18.1.2", SERVER4).tcp(41003, 8080).rst().seq(101).build());
            assertEquals(XdpAction.PASS, dp.run(clientSyn("198.18.1.2", 41003, 8080)).action(),
                    "the replaced entry's share was given back");
            assertEquals(new SrcCount(3, 2), dp.tables().srcCounts().get(IpAddr.of(inet("198.18.1.2"))).orElseThrow());
        }
    }
}
