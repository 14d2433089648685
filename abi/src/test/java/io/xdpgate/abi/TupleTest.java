package io.xdpgate.abi;

import static io.xdpgate.abi.AbiCodecTest.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TupleTest {
    @Test
    void ipv4IsStoredMappedAndPrintedDotted() {
        Tuple t = Tuple.of(addr("198.18.1.2"), 40000, addr("198.18.2.2"), 80, IpProto.TCP);
        assertEquals(Abi.XG_FAMILY_IPV4, t.family());
        assertTrue(t.saddr().isIpv4());
        assertEquals(addr("198.18.1.2"), t.saddr().toInetAddress());
        assertEquals("198.18.1.2:40000 -> 198.18.2.2:80 tcp", t.toString());
    }

    @Test
    void ipv6IsPrintedInBrackets() {
        Tuple t = Tuple.of(addr("2001:db8::1"), 5353, addr("2001:db8:0:1::53"), 53, IpProto.UDP);
        assertEquals(Abi.XG_FAMILY_IPV6, t.family());
        assertEquals("[2001:db8::1]:5353 -> [2001:db8:0:1::53]:53 udp", t.toString());
    }

    @Test
    void reversedSwapsEnds() {
        Tuple t = Tuple.of(addr("198.18.1.2"), 40000, addr("198.18.2.2"), 80, IpProto.TCP);
        assertEquals("198.18.2.2:80 -> 198.18.1.2:40000 tcp", t.reversed().toString());
        assertEquals(t, t.reversed().reversed());
    }

    @Test
    void mixedFamiliesAndOutOfRangePortsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Tuple.of(addr("198.18.1.2"), 1, addr("2001:db8::1"), 2, IpProto.TCP));
        assertThrows(IllegalArgumentException.class,
                () -> Tuple.of(addr("198.18.1.2"), 65536, addr("198.18.2.2"), 2, IpProto.TCP));
    }

    @Test
    void zeroIsZero() {
        assertTrue(Tuple.ZERO.isZero());
        assertEquals(Tuple.ZERO, Tuple.CODEC.fromBytes(new byte[Tuple.CODEC.size()]));
    }
}
