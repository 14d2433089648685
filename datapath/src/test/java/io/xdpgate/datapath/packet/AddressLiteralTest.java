package io.xdpgate.datapath.packet;

import io.xdpgate.abi.AddressLiteral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressLiteralTest {

    @ParameterizedTest
    @CsvSource({
        "198.18.1.2, 198.18.1.2",
        "0.0.0.0, 0.0.0.0",
        "2001:db8::1, 2001:db8::1",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "::, ::",
        "::1, ::1",
        "2001:db8::, 2001:db8::",
        "::ffff:198.18.0.1, ::ffff:c612:1",
        "2001:db8::198.18.0.1, 2001:db8::c612:1",
    })
    void parsesAndFormatsCanonically(String text, String canonical) {
        assertEquals(canonical, AddressLiteral.format(AddressLiteral.parseBytes(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "198.18.1", "198.18.1.2.3", "198.18.1.256", "198.018.1.2", "198.18.1.-1", "198.18.1.2 ",
        "2001:db8::1::2", "2001:db8:::1", "g::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::1", ":1::",
        "1::2:", "fe80::1%eth0", "[2001:db8::1]", "::198.18.0.1:0", "example.com", "١٩٨.18.1.2"})
    void rejectsWhatIsNotALiteral(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressLiteral.parseBytes(text));
        assertTrue(e.getMessage().startsWith("not an IP") || e.getMessage().equals("empty address"), e.getMessage());
    }
}
