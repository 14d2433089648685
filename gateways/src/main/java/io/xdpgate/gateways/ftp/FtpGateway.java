package io.xdpgate.gateways.ftp;

import io.xdpgate.gateways.spi.ApplicationGateway;
import io.xdpgate.gateways.spi.FlowContext;
import io.xdpgate.gateways.spi.GatewaySession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The FTP gateway (RFC 959, 2428): control connections judged command by command, the data
 * connections they announce expected in the packet processor, passed in the kernel or, with
 * {@code dataChannel: inspect}, brought here too and counted.
 */
public final class FtpGateway implements ApplicationGateway {
    static final String BOUNCE_REFUSED = "bounce_refused";
    static final String LOW_PORT_REFUSED = "low_port_refused";
    static final String EXPECT_GRANTED = "expectations_granted";
    static final String EXPECT_REFUSED = "expectations_refused";
    private static final List<String> COUNTERS = List.of(BOUNCE_REFUSED, LOW_PORT_REFUSED, EXPECT_GRANTED, EXPECT_REFUSED);

    /** An announced data connection to inspect: who connects, to where. */
    private record DataKey(InetAddress from, InetSocketAddress to) {
    }

    private final FtpGatewayConfig config;
    private final Map<String, AtomicLong> counters = new LinkedHashMap<>();
    /** Inspected data connections announced and not yet opened, with their deadline (System.nanoTime). */
    private final Map<DataKey, Long> expectedData = new ConcurrentHashMap<>();

    public FtpGateway(FtpGatewayConfig config) {
        this.config = config;
        for (String c : COUNTERS) {
            counters.put(c, new AtomicLong());
        }
    }

    FtpGatewayConfig config() {
        return config;
    }

    void count(String counter) {
        counters.get(counter).incrementAndGet();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** A data connection from {@code from} to {@code to} will come here: it gets a data session. */
    void expectData(InetAddress from, InetSocketAddress to) {
        long now = System.nanoTime();
        expectedData.values().removeIf(deadline -> deadline - now < 0);
        expectedData.put(new DataKey(from, to), now + config.expectTimeout().toNanos());
    }

    @Override
    public GatewaySession open(FlowContext flow) {
        Long deadline = expectedData.remove(new DataKey(flow.client().getAddress(), flow.server()));
        if (deadline != null && deadline - System.nanoTime() > 0) {
            return new FtpDataSession(config.maxTransferBytes());
        }
        return new FtpControlSession(this, flow);
    }
}
