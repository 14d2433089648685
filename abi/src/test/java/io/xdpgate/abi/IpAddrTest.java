package io.xdpgate.abi;

import static io.xdpgate.abi.AbiCodecTest.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddrTest {
    @ParameterizedTest
    @CsvSource({
            "2001:db8::1, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "::, ::",
            "::1, ::1",
            "2001:db8::, 2001:db8::",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    })
    void ipv6TextFollowsRfc5952(String in, String expected) {
        assertEquals(expected, IpAddr.of(addr(in)).toString());
    }

    @Test
    void ipv4RoundTripsThroughBits() {
        IpAddr a = IpAddr.of(addr("198.18.1.2"));
        assertEquals(0xc6120102, a.ipv4Bits());
        assertEquals(a, IpAddr.ofIpv4Bits(0xc6120102));
        assertEquals("198.18.1.2", a.toString());
        assertFalse(IpAddr.of(addr("2001:db8::1")).isIpv4());
        assertThrows(IllegalStateException.class, () -> IpAddr.of(addr("2001:db8::1")).ipv4Bits());
    }

    @Test
    void macAddressesParseAndPrint() {
        assertEquals("02:00:5e:10:00:01", MacAddr.parse("02:00:5E:10:00:01").toString());
        assertThrows(IllegalArgumentException.class, () -> MacAddr.of(new byte[5]));
    }
}
