package io.xdpgate.bench;

import java.util.Arrays;

/** The per-packet times of one scenario over several rounds, in nanoseconds. */
record Measurement(Scenario scenario, long[] nsPerPacket) {
    double median() {
        long[] sorted = nsPerPacket.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    long min() {
        return Arrays.stream(nsPerPacket).min().orElse(0);
    }

    long max() {
        return Arrays.stream(nsPerPacket).max().orElse(0);
    }
}
