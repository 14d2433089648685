package io.xdpgate.controlplane.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xdpgate.datapath.tables.Hook;
import org.junit.jupiter.api.Test;

class HookChoiceTest {
    @Test
    void autoTakesTcOnAVethAndXdpElsewhere() {
        assertEquals(Hook.TC, HookChoice.AUTO.resolve("veth0", name -> true));
        assertEquals(Hook.XDP, HookChoice.AUTO.resolve("eth0", name -> false));
    }

    @Test
    void anExplicitHookIsTakenWithoutAskingWhatTheDeviceIs() {
        assertEquals(Hook.XDP, HookChoice.XDP.resolve("veth0", name -> {
            throw new AssertionError("asked");
        }));
        assertEquals(Hook.TC, HookChoice.TC.resolve("eth0", name -> {
            throw new AssertionError("asked");
        }));
    }

    @Test
    void aSettingIsReadWhateverItsCaseAndABadOneNamesTheSettingAndTheChoices() {
        assertEquals(HookChoice.TC, HookChoice.parse("xdpgate.interfaces[eth0].hook", " TC "));
        var e = assertThrows(IllegalArgumentException.class,
                () -> HookChoice.parse("xdpgate.interfaces[eth0].hook", "ebpf"));
        assertEquals("xdpgate.interfaces[eth0].hook=ebpf: must be one of [auto, xdp, tc]", e.getMessage());
    }
}
