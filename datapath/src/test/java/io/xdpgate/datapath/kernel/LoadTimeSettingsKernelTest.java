package io.xdpgate.datapath.kernel;

import static io.xdpgate.datapath.kernel.Addresses.CLIENT4;
import static io.xdpgate.datapath.kernel.Addresses.SERVER4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Action;
import io.xdpgate.abi.EventType;
import io.xdpgate.abi.Stat;
import io.xdpgate.datapath.bpf.BpfObject;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.Rule;
import io.xdpgate.datapath.tables.LoadTimeSettings;
import io.xdpgate.datapath.testing.KernelTest;
import io.xdpgate.datapath.testing.TestObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The const volatile settings written before load change what the verified program does. */
@KernelTest
@ExtendWith(FixtureCases.class)
class LoadTimeSettingsKernelTest {
    private static final byte[] MIDSTREAM_ACK =
            new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(40000, 80).ack().payload("x").build();

    @Test
    void strictTcpDropsAMidstreamSegmentAndPickupAdmitsIt() {
        try (Datapath strict = Datapath.load(LoadTimeSettings.DEFAULTS::applyTo)) {
            strict.reset();
            strict.policy(Action.DROP, Rule.builder(1).tcp().ports("80").pass().build());
            assertEquals(XdpAction.DROP, strict.run(MIDSTREAM_ACK).action());
            assertEquals(1, strict.count(Stat.DROP_TCP_NO_CONN));
        }
        try (Datapath pickup = Datapath.load(new LoadTimeSettings(false, true, 0, 0, false)::applyTo)) {
            pickup.reset();
            pickup.policy(Action.DROP, Rule.builder(1).tcp().ports("80").pass().build());
            assertEquals(XdpAction.PASS, pickup.run(MIDSTREAM_ACK).action(), "a connection older than the firewall");
            assertEquals(1, pickup.count(Stat.NEW_FLOW));
        }
    }

    @Test
    void dropEventsCanBeSwitchedOff() {
        try (Datapath quiet = Datapath.load(new LoadTimeSettings(true, false, 0, 0, false)::applyTo)) {
            quiet.reset();
            quiet.run(new PacketBuilder().ipv4(CLIENT4, SERVER4).tcp(40000, 81).syn().build());
            assertEquals(1, quiet.count(Stat.DROP_DEFAULT));
            assertTrue(quiet.events().stream().noneMatch(e -> e.type() == EventType.DROP));
        }
    }

    @Test
    void anUnknownGlobalIsRefusedByName() {
        try (BpfObject obj = BpfObject.open(TestObjects.xdpgate())) {
            var e = assertThrows(IllegalArgumentException.class, () -> obj.setReadOnlyGlobal("cfg_nope", new byte[1]));
            assertTrue(e.getMessage().contains("cfg_nope"), e.getMessage());
        }
    }
}
