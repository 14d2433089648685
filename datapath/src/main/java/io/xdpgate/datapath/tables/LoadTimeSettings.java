package io.xdpgate.datapath.tables;

import io.xdpgate.datapath.bpf.BpfObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The packet processor's {@code const volatile} settings (bpf/src/config.h), written into
 * .rodata before load.
 *
 * @param tcpStrict  drop TCP segments other than SYN that have no connection (else classify them:
 *                   connections older than the firewall survive its arrival)
 * @param dropEvents emit a ring-buffer event for every refused new flow
 * @param connsPerSource     most connection entries one source address may hold (0: no limit)
 * @param redirectsPerSource most of them redirected to gateways, i.e. pool ports (0: no limit)
 * @param fibForward admitted packets are forwarded by FIB lookup to managed interfaces (bpf/src/fwd.h),
 *                   else every admitted packet goes to the stack
 * @param pairTtlNs  how long the expectation a rule's paired port writes waits for its flow
 *                   (cfg_pair_ttl_ns), in nanoseconds, at least 1
 */
public record LoadTimeSettings(boolean tcpStrict, boolean dropEvents, int connsPerSource, int redirectsPerSource,
        boolean fibForward, long pairTtlNs) {
    /** config.h's cfg_pair_ttl_ns: 30 s. */
    public static final long DEFAULT_PAIR_TTL_NS = 30_000_000_000L;

    /** The packet processor's own defaults (config.h): strict, events on, no limits, stack forwarding, 30 s pairs. */
    public static final LoadTimeSettings DEFAULTS = new LoadTimeSettings(true, true, 0, 0, false);

    public LoadTimeSettings {
        if (connsPerSource < 0 || redirectsPerSource < 0) {
            throw new IllegalArgumentException("per-source limits cannot be negative (0: no limit): conns "
                    + connsPerSource + ", redirects " + redirectsPerSource);
        }
        if (pairTtlNs < 1) {
            throw new IllegalArgumentException("the paired-port expectation's time to live must be positive, got "
                    + pairTtlNs + " ns");
        }
    }

    /** With config.h's paired-port time to live. */
    public LoadTimeSettings(boolean tcpStrict, boolean dropEvents, int connsPerSource, int redirectsPerSource,
            boolean fibForward) {
        this(tcpStrict, dropEvents, connsPerSource, redirectsPerSource, fibForward, DEFAULT_PAIR_TTL_NS);
    }

    public LoadTimeSettings withFibForward(boolean on) {
        return new LoadTimeSettings(tcpStrict, dropEvents, connsPerSource, redirectsPerSource, on, pairTtlNs);
    }

    public LoadTimeSettings withPairTtlNs(long ns) {
        return new LoadTimeSettings(tcpStrict, dropEvents, connsPerSource, redirectsPerSource, fibForward, ns);
    }

    public void applyTo(BpfObject object) {
        object.setReadOnlyGlobal("cfg_tcp_strict", new byte[] {(byte) (tcpStrict ? 1 : 0)});
        object.setReadOnlyGlobal("cfg_drop_events", new byte[] {(byte) (dropEvents ? 1 : 0)});
        object.setReadOnlyGlobal("cfg_conns_per_src", u32(connsPerSource));
        object.setReadOnlyGlobal("cfg_redirects_per_src", u32(redirectsPerSource));
        object.setReadOnlyGlobal("cfg_forward", new byte[] {(byte) (fibForward ? 1 : 0)});
        object.setReadOnlyGlobal("cfg_pair_ttl_ns", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(pairTtlNs).array());
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
