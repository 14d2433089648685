package io.xdpgate.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.datapath.testing.TestObjects;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The #define XG_* constants of xdpgate_abi.h against {@link Abi}, both ways. */
class AbiConstantsTest {
    /** {@code #define XG_NAME value}, value up to a comment or the end of the line. */
    private static final Pattern DEFINE = Pattern.compile(
            "^#define\\s+(XG_\\w+)\\s+(.+?)\\s*(?:/\\*.*)?$", Pattern.MULTILINE);

    @Test
    void everyHeaderConstantIsInAbiWithItsValue() throws IOException {
        Map<String, Long> header = headerConstants();
        assertTrue(header.size() >= 10, "parsed too few constants from the header: " + header);
        Map<String, Long> java = abiConstants();
        for (Map.Entry<String, Long> c : header.entrySet()) {
            assertTrue(java.containsKey(c.getKey()), "Abi lacks " + c.getKey() + " = " + c.getValue());
            assertEquals(c.getValue(), java.get(c.getKey()), "Abi." + c.getKey());
        }
    }

    @Test
    void everyAbiConstantIsInTheHeader() throws IOException {
        Map<String, Long> header = headerConstants();
        for (String name : abiConstants().keySet()) {
            assertTrue(header.containsKey(name), "Abi." + name + " is not #defined in xdpgate_abi.h");
        }
    }

    @Test
    void theEvaluatorUnderstandsWhatTheHeaderWrites() {
        Map<String, Long> known = Map.of("XG_A", 10240L);
        assertEquals(160L, ConstantExpression.evaluate("(XG_A / 64)", known));
        assertEquals(0x58474d31L, ConstantExpression.evaluate("0x58474d31", known));
        assertEquals(16L, ConstantExpression.evaluate("(1u << 4)", known));
        assertEquals(7L, ConstantExpression.evaluate("1 | 2 | 4", known));
    }

    private static Map<String, Long> headerConstants() throws IOException {
        String header = Files.readString(TestObjects.abiIncludeDir().resolve("xdpgate_abi.h"));
        Map<String, Long> constants = new TreeMap<>();
        Matcher m = DEFINE.matcher(header);
        while (m.find()) {
            constants.put(m.group(1), ConstantExpression.evaluate(m.group(2), constants));
        }
        return constants;
    }

    private static Map<String, Long> abiConstants() {
        Map<String, Long> constants = new TreeMap<>();
        for (Field f : Abi.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod)) {
                try {
                    constants.put(f.getName(), ((Number) f.get(null)).longValue());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return constants;
    }
}
