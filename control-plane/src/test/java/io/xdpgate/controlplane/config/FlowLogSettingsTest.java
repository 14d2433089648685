package io.xdpgate.controlplane.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.EventType;
import io.xdpgate.controlplane.events.FlowEvent;
import io.xdpgate.controlplane.events.FlowLog;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** xdpgate.events.log.*: bound as written, a bad value or an unwritable file refused at start naming the setting. */
class FlowLogSettingsTest {
    @TempDir
    Path dir;

    private static XdpgateProperties bind(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("xdpgate", XdpgateProperties.class);
    }

    private static String refusal(String... keyValues) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> bind(keyValues));
        Throwable t = e;
        while (t instanceof BindException || (t.getCause() != null && !(t instanceof IllegalArgumentException))) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Test
    void theDefaultIsTodaysTextOnTheLogger() {
        XdpgateProperties.Log log = bind().events().log();
        assertEquals("text", log.format());
        assertEquals("logger", log.output());
        assertEquals(Path.of("/var/log/xdpgate/flows.json"), log.file());
        assertEquals(100L * 1024 * 1024, log.maxFileSize().toBytes());
        assertEquals(5, log.maxFiles());
        assertTrue(log.passed());
        assertEquals(100, bind().events().dropLogRate(), "the existing events.* settings stay");
    }

    @Test
    void jsonToARotatedFileBindsAndWrites() throws Exception {
        Path file = dir.resolve("log/flows.json");
        XdpgateProperties p = bind("xdpgate.events.log.format", "json", "xdpgate.events.log.output", "file",
                "xdpgate.events.log.file", file.toString(), "xdpgate.events.log.max-file-size", "10MB",
                "xdpgate.events.log.max-files", "3", "xdpgate.events.log.passed", "false",
                "xdpgate.events.log.host", "node-7");
        assertEquals(10L * 1024 * 1024, p.events().log().maxFileSize().toBytes());
        assertEquals(3, p.events().log().maxFiles());
        assertFalse(p.events().log().passed());
        try (FlowLog log = new DaemonConfiguration().flowLog(p)) {
            log.log(new FlowEvent(1, Instant.parse("2026-12-07T10:00:00Z"), EventType.REDIRECT, 4,
                    io.xdpgate.abi.Tuple.of(InetAddress.getByName("198.18.1.2"), 4000, InetAddress.getByName("198.18.2.2"),
                            80, 6), null, 4L, "http", 0, "web", null));
            log.tick();
            List<String> lines = Files.readAllLines(file);
            assertEquals(1, lines.size());
            assertTrue(lines.get(0).startsWith("{\"timestamp\":\"2026-12-07T10:00:00.000000+0000\",\"host\":\"node-7\","
                    + "\"event_type\":\"redirect\""), lines.get(0));
        }
    }

    @Test
    void theHostIsTheSettingElseTheNodeNameElseTheHostName() throws Exception {
        assertEquals("a", DaemonConfiguration.hostName("a", "n"));
        assertEquals("n", DaemonConfiguration.hostName(" ", "n"));
        assertEquals(InetAddress.getLocalHost().getHostName(), DaemonConfiguration.hostName(null, ""));
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertEquals("xdpgate.events.log.format=xml: must be text or json", refusal("xdpgate.events.log.format", "xml"));
        assertEquals("xdpgate.events.log.output=syslog: must be logger, stdout or file",
                refusal("xdpgate.events.log.output", "syslog"));
        assertEquals("xdpgate.events.log.max-files=0: at least 1 (the file written)",
                refusal("xdpgate.events.log.max-files", "0"));
        assertEquals("xdpgate.events.log.max-file-size=100B: at least 4KB (a file holds many lines)",
                refusal("xdpgate.events.log.max-file-size", "100B"));
    }

    @Test
    void anUnwritableFileStopsTheStartWithItsPathAndReason() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "not a directory");
        Path file = plain.resolve("flows.json");
        XdpgateProperties p = bind("xdpgate.events.log.format", "json", "xdpgate.events.log.output", "file",
                "xdpgate.events.log.file", file.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> new DaemonConfiguration().flowLog(p));
        assertTrue(e.getMessage().startsWith("xdpgate.events.log.file=" + file + ": cannot be written ("),
                e.getMessage());
        assertTrue(e.getMessage().contains("FileAlreadyExistsException") || e.getMessage().contains("NotDirectory"),
                e.getMessage());
    }
}
