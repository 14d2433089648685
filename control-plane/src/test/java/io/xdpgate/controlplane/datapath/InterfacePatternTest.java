package io.xdpgate.controlplane.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InterfacePatternTest {
    @Test
    void globsMatchTheNamesCnisGive() {
        InterfacePattern veth = new InterfacePattern("veth*");
        assertTrue(veth.matches("veth1a2b3c4d"));
        assertTrue(veth.matches("veth"));
        assertFalse(veth.matches("xveth0"));
        assertFalse(veth.matches("eth0"));
        assertTrue(new InterfacePattern("cali*").matches("cali0123456789a"));
        assertTrue(new InterfacePattern("lxc?*").matches("lxc1"));
        assertFalse(new InterfacePattern("lxc?*").matches("lxc"));
        assertTrue(new InterfacePattern("*-0").matches("pod7-0"));
        assertTrue(new InterfacePattern("a*b*c").matches("aXbYbc"));
        assertFalse(new InterfacePattern("a*b*c").matches("aXbYbcd"));
        assertTrue(new InterfacePattern("eth0").matches("eth0"));
        assertFalse(new InterfacePattern("eth0").matches("eth01"));
    }

    @Test
    void whatCannotBeADeviceNameIsRefusedWithTheCharacter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InterfacePattern("veth[0-9]*"));
        assertEquals("pattern \"veth[0-9]*\": character '[' at 4 is neither part of a device name nor a wildcard (* or ?)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InterfacePattern("veth.+"));
        assertThrows(IllegalArgumentException.class, () -> new InterfacePattern("a/b"));
        assertThrows(IllegalArgumentException.class, () -> new InterfacePattern(" veth*"));
        assertThrows(IllegalArgumentException.class, () -> new InterfacePattern(""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new InterfacePattern("abcdefghijklmnop*"))
                .getMessage().contains("cannot match"));
    }
}
