package io.xdpgate.gateways.ftp;

import io.xdpgate.gateways.spi.ConfigReader;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an FTP gateway enforces and how it opens data connections.
 *
 * @param allowCommands    the commands that may reach the server (upper case)
 * @param maxLineLength    bytes of a command or reply line with its CRLF
 * @param inspectData      data connections come to the gateway too (counted against
 *                         {@code maxTransferBytes}); false: passed in the kernel
 * @param maxTransferBytes bytes one inspected data connection may carry, 0 for no limit
 * @param expectTimeout    how long an announced data connection is expected
 * @param maxDataChannels  data connections one control connection may have expected at once
 * @param replyOnDeny      a refusal is answered with its reply code before the reset
 */
public record FtpGatewayConfig(Set<String> allowCommands, int maxLineLength, boolean inspectData,
                               long maxTransferBytes, Duration expectTimeout, int maxDataChannels,
                               boolean replyOnDeny) {
    public static final FtpGatewayConfig DEFAULTS = new FtpGatewayConfig(FtpCommands.DEFAULT_ALLOWED, 1024, false, 0,
            Duration.ofSeconds(30), 4, true);

    /** The keys {@link #fromMap} knows, in the order the README lists them. */
    public static final List<String> KEYS = List.of("allowCommands", "maxLineLength", "dataChannel",
            "maxTransferBytes", "expectTimeout", "maxDataChannels", "onDeny");

    public FtpGatewayConfig {
        allowCommands = Set.copyOf(allowCommands);
    }

    /** Reads a policy's gateway {@code config}; null or empty means {@link #DEFAULTS}. */
    public static FtpGatewayConfig fromMap(Map<String, ?> config) {
        ConfigReader r = new ConfigReader(config, KEYS);
        List<String> commands = r.strings("allowCommands", List.copyOf(DEFAULTS.allowCommands()),
                s -> FtpCommands.KNOWN.contains(s.toUpperCase(Locale.ROOT)),
                "an FTP command (" + String.join(", ", FtpCommands.KNOWN) + ")", false);
        int line = r.integer("maxLineLength", DEFAULTS.maxLineLength(), 512, 65536, "an integer from 512 to 65536");
        boolean inspect = r.oneOf("dataChannel", DEFAULTS.inspectData(), Map.of("pass", false, "inspect", true));
        int max = r.nonNegative("maxTransferBytes", 0);
        if (max > 0 && !inspect) {
            r.problem("maxTransferBytes", "needs \"dataChannel\": \"inspect\" (passed data connections are not counted)");
        }
        int timeout = r.integer("expectTimeout", 30, 1, 300, "seconds from 1 to 300");
        int channels = r.integer("maxDataChannels", DEFAULTS.maxDataChannels(), 1, 64, "an integer from 1 to 64");
        boolean reply = r.oneOf("onDeny", DEFAULTS.replyOnDeny(), Map.of("reply", true, "reset", false));
        r.done();
        return new FtpGatewayConfig(Set.copyOf(commands.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList()), line,
                inspect, max, Duration.ofSeconds(timeout), channels, reply);
    }
}
