package io.xdpgate.gateways.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamePatternTest {
    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "example.com, example.com, true",
        "Example.COM., example.com, true",
        "example.com, www.example.com, false",
        "*.example.com, www.example.com, true",
        "*.example.com, a.b.example.com, false",
        "*.example.com, example.com, false",
        "*.example.com, wwwexample.com, false",
        "**.example.com, a.b.example.com, true",
        "**.example.com, www.example.com, true",
        "**.example.com, example.com, false",
        "**.example.com, badexample.com, false",
        "**.example.com, x.badexample.com, false",
    })
    void matches(String pattern, String name, boolean expected) {
        assertEquals(expected, NamePattern.parse(pattern).matches(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "*", "**", "a..b", "-a.com", "a b.com", "*.*.com", "***.com", "a.*.com",
        "é.com"})
    void malformedPatternsAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> NamePattern.parse(text));
    }
}
