package io.xdpgate.gateways.spi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One new connection a gateway asks the packet processor to admit although the rules would
 * judge it otherwise (FTP's data connections, RFC 959 3.2): from {@code from} (any source port:
 * the side that connects picks it) to {@code to}, once, within {@code ttl}.
 *
 * @param redirect true: the connection comes to this gateway too (to be inspected); false: it is
 *                 passed in the kernel
 */
public record Expectation(Transport transport, InetAddress from, InetSocketAddress to, boolean redirect, Duration ttl) {
    public Expectation {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
    }
}
