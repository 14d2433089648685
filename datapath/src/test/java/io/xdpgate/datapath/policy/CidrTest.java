package io.xdpgate.datapath.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.AddressLiteral;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "198.18.2.0/24, 198.18.2.0/24, IPV4, 24, 120",
        "198.18.2.7, 198.18.2.7/32, IPV4, 32, 128",
        "0.0.0.0/0, 0.0.0.0/0, IPV4, 0, 96",
        "2001:db8::/32, 2001:db8::/32, IPV6, 32, 32",
        "2001:DB8:0:1::/64, 2001:db8:0:1::/64, IPV6, 64, 64",
        "2001:db8::9, 2001:db8::9/128, IPV6, 128, 128",
        "::/0, ::/0, IPV6, 0, 0",
    })
    void parses(String text, String canonical, IpFamily family, int length, int mappedLength) {
        Cidr cidr = Cidr.parse(text);
        assertEquals(canonical, cidr.toString());
        assertEquals(family, cidr.family());
        assertEquals(length, cidr.prefixLength());
        assertEquals(mappedLength, cidr.mappedPrefix().length());
        assertEquals(cidr, Cidr.parse(canonical));
        assertEquals(cidr, Cidr.of(cidr.address(), cidr.prefixLength()));
    }

    @Test
    void ipv4IsFiledInTheMappedRange() {
        AddressPrefix prefix = Cidr.parse("198.18.2.0/24").mappedPrefix();
        assertEquals("00000000000000000000ffffc6120200", HexFormat.of().formatHex(prefix.addressBytes()));
        assertEquals(8 + 96 + 24, prefix.keyPrefixLength());
        assertTrue(prefix.isIpv4());
        assertFalse(Cidr.parse("2001:db8::/32").mappedPrefix().isIpv4());
    }

    @Test
    void hostBitsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("198.18.2.1/24"));
        assertEquals("bad CIDR \"198.18.2.1/24\": host bits 0.0.0.1 are set (bits 24..31 must be zero); "
                + "the network is 198.18.2.0/24", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("2001:db8::c000/113"));
        assertEquals("bad CIDR \"2001:db8::c000/113\": host bits ::4000 are set (bits 113..127 must be zero); "
                + "the network is 2001:db8::8000/113", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("198.19.0.0/15"));
        assertTrue(e.getMessage().contains("the network is 198.18.0.0/15"), e.getMessage());
    }

    @Test
    void badTextIsRefusedClearly() {
        for (String text : new String[] {"198.18.2.0/", "198.18.2.0/33", "198.18.2.0/-1", "198.18.2.0/2a",
            "2001:db8::/129", "198.18.2/24", "foo/8", "", "198.18.2.0/24/8"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text), text);
            assertTrue(e.getMessage().startsWith("bad CIDR \"" + text + "\": "), e.getMessage());
        }
    }

    @Test
    void mappedIpv6TextIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:198.18.0.0/112"));
        assertTrue(e.getMessage().contains("write it in IPv4 form (198.18.0.0/16)"), e.getMessage());
    }

    @Test
    void containsOnlyItsOwnFamily() {
        Cidr v4 = Cidr.parse("198.18.2.0/24");
        assertTrue(v4.contains(AddressLiteral.parse("198.18.2.0")));
        assertTrue(v4.contains(AddressLiteral.parse("198.18.2.255")));
        assertFalse(v4.contains(AddressLiteral.parse("198.18.1.255")));
        assertFalse(v4.contains(AddressLiteral.parse("198.18.3.0")));
        assertFalse(Cidr.parse("::/0").contains(AddressLiteral.parse("198.18.2.1")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(AddressLiteral.parse("2001:db8::1")));
        assertTrue(Cidr.parse("::/0").contains(AddressLiteral.parse("2001:db8::1")));
    }
}
