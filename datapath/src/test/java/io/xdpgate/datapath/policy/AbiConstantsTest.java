package io.xdpgate.datapath.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Action;
import io.xdpgate.abi.Role;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The policy package mirrors a few ABI constants and enum values without
 * depending on the ABI mirror package; this keeps them honest against the
 * header itself.
 */
class AbiConstantsTest {

    private static String header() throws IOException {
        String dir = System.getProperty("xdpgate.bpf.include", "../bpf/include");
        Path path = Path.of(dir, "xdpgate_abi.h");
        assertTrue(Files.isRegularFile(path), "ABI header not found at " + path.toAbsolutePath());
        return Files.readString(path);
    }

    private static int value(String text, String name) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*(?:=\\s*)?(\\d+)\\b").matcher(text);
        assertTrue(m.find(), name + " not found in the ABI header");
        return Integer.parseInt(m.group(1));
    }

    @Test
    void constantsMatchTheHeader() throws IOException {
        String h = header();
        assertEquals(RuleBitmap.MAX_RULES, value(h, "XG_MAX_RULES"));
        assertTrue(h.contains("#define XG_BITMAP_WORDS (XG_MAX_RULES / 64)"));
        assertEquals(Rule.MAX_GATEWAYS, value(h, "XG_MAX_GATEWAYS"));
        assertEquals(Action.DROP.value(), value(h, "XG_ACT_DROP"));
        assertEquals(Action.PASS.value(), value(h, "XG_ACT_PASS"));
        assertEquals(Action.REDIRECT.value(), value(h, "XG_ACT_REDIRECT"));
        assertEquals(Role.EXTERNAL.value(), value(h, "XG_ROLE_EXTERNAL"));
        assertEquals(Role.INTERNAL.value(), value(h, "XG_ROLE_INTERNAL"));
        assertEquals(Role.GATEWAY.value(), value(h, "XG_ROLE_GATEWAY"));
        assertEquals(Role.values().length, value(h, "XG_ROLE_COUNT"));
    }
}
