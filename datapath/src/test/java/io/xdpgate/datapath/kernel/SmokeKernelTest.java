package io.xdpgate.datapath.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xdpgate.datapath.abi.Stat;
import io.xdpgate.datapath.bpf.XdpAction;
import io.xdpgate.datapath.packet.PacketBuilder;
import io.xdpgate.datapath.policy.RuleAction;
import io.xdpgate.datapath.testing.KernelTest;
import org.junit.jupiter.api.Test;

@KernelTest
class SmokeKernelTest {
    @Test
    void passesASynUnderADefaultPassPolicy() {
        try (Datapath dp = Datapath.load()) {
            dp.reset();
            dp.policy(RuleAction.PASS);
            var run = dp.run(new PacketBuilder().ipv4(Addresses.CLIENT4, Addresses.SERVER4).tcp(40000, 80).syn().build());
            assertEquals(XdpAction.PASS, run.action());
            assertEquals(1, dp.count(Stat.NEW_FLOW));
            assertEquals(1, dp.events().size());
        }
    }
}
