package io.xdpgate.controlplane.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Role;
import io.xdpgate.controlplane.datapath.DatapathSettings;
import io.xdpgate.controlplane.datapath.HookChoice;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** xdpgate.interfaces[i]: by name as before, or by pattern; a bad one refused at start, naming the setting. */
class InterfaceSettingsTest {
    private static XdpgateProperties bind(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("xdpgate", XdpgateProperties.class);
    }

    private static String refusal(String... keyValues) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> bind(keyValues).datapathSettings());
        Throwable t = e;
        while (t instanceof BindException || (t.getCause() != null && !(t instanceof IllegalArgumentException))) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Test
    void namesAndPatternsSplitIntoTheStartupInterfacesAndTheWatchedOnes() {
        DatapathSettings s = bind("xdpgate.interfaces[0].name", "eth0", "xdpgate.interfaces[0].role", "external",
                "xdpgate.interfaces[1].pattern", "veth*", "xdpgate.interfaces[1].role", "internal",
                "xdpgate.interfaces[2].pattern", "cali*", "xdpgate.interfaces[2].role", "Internal",
                "xdpgate.interfaces[2].hook", "xdp").datapathSettings();
        assertEquals(1, s.interfaces().size());
        assertEquals("eth0", s.interfaces().get(0).name());
        assertEquals(Role.EXTERNAL, s.interfaces().get(0).role());
        assertEquals(2, s.patterns().size());
        assertEquals("veth*", s.patterns().get(0).pattern().glob());
        assertEquals(Role.INTERNAL, s.patterns().get(0).role());
        assertEquals(HookChoice.AUTO, s.patterns().get(0).hook());
        assertEquals(HookChoice.XDP, s.patterns().get(1).hook());
        XdpgateProperties.InterfaceWatch w = bind().interfaceWatch();
        assertEquals(5, w.maxAttempts());
    }

    @Test
    void badInterfaceSettingsAreRefusedNamingTheSetting() {
        assertEquals("xdpgate.interfaces[0]: set exactly one of name (one interface) and pattern (every interface it "
                + "matches)", refusal("xdpgate.interfaces[0].name", "eth0", "xdpgate.interfaces[0].pattern", "veth*"));
        assertEquals("xdpgate.interfaces[0]: set exactly one of name (one interface) and pattern (every interface it "
                + "matches)", refusal("xdpgate.interfaces[0].role", "internal"));
        assertEquals("xdpgate.interfaces[1].pattern: pattern \"veth[0-9]*\": character '[' at 4 is neither part of a "
                + "device name nor a wildcard (* or ?)", refusal("xdpgate.interfaces[0].name", "eth0",
                "xdpgate.interfaces[1].pattern", "veth[0-9]*"));
        assertTrue(refusal("xdpgate.interfaces[0].pattern", "xgw*").contains("the daemon's own gateway veths"));
        assertEquals("xdpgate.interfaces[0].role=gateway: must be external or internal",
                refusal("xdpgate.interfaces[0].pattern", "veth*", "xdpgate.interfaces[0].role", "gateway"));
        assertEquals("xdpgate.interfaces[0].hook=ebpf: must be one of [auto, xdp, tc]",
                refusal("xdpgate.interfaces[0].pattern", "veth*", "xdpgate.interfaces[0].hook", "ebpf"));
        assertTrue(refusal("xdpgate.interface-watch.max-attempts", "0").contains("at least one attempt"));
    }
}
