package io.xdpgate.datapath.packet;

import io.xdpgate.abi.Checksum;

/**
 * What {@link Checksum#verify} found.
 *
 * <p>{@link #allCorrect()} counts an absent IPv4 UDP checksum as a failure on
 * purpose: an incremental update that turns a real checksum into 0 (instead of
 * 0xffff) silently switches checksumming off, which is exactly the bug an
 * oracle must catch. Check {@code l4().status() == ABSENT} where 0 is meant.
 */
public record ChecksumReport(ChecksumCheck ipv4Header, ChecksumCheck l4) {

    /** Every checksum is CORRECT or NOT_APPLICABLE. */
    public boolean allCorrect() {
        return good(ipv4Header.status()) && good(l4.status());
    }

    private static boolean good(ChecksumStatus status) {
        return status == ChecksumStatus.CORRECT || status == ChecksumStatus.NOT_APPLICABLE;
    }

    @Override
    public String toString() {
        return "IPv4 header: " + ipv4Header + "; L4: " + l4;
    }
}
