package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code struct xg_stats}: every counter, indexed by {@link Stat}; one CPU's slot, or the sum of
 * all. The struct has {@link Abi#XG_STAT_SLOTS} slots, more than there are counters; the spare
 * ones are zero and not carried here.
 */
public record Stats(long[] counts) {
    public static final Layout LAYOUT = Layout.struct("xg_stats")
            .u64s("count", Abi.XG_STAT_SLOTS)
            .build();

    public static final StructCodec<Stats> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field count = LAYOUT.field("count");

        @Override
        public Stats read(ByteBuffer in, int base) {
            return new Stats(Arrays.copyOf(count.getLongs(in, base), Stat.COUNT));
        }

        @Override
        protected void writeFields(Stats s, ByteBuffer out, int base) {
            count.putLongs(out, base, Arrays.copyOf(s.counts, Abi.XG_STAT_SLOTS));
        }
    };

    public Stats {
        if (counts.length != Stat.COUNT) {
            throw new IllegalArgumentException(counts.length + " counters, there are " + Stat.COUNT);
        }
        counts = counts.clone();
    }

    public long get(Stat stat) {
        return counts[stat.ordinal()];
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public Map<Stat, Long> asMap() {
        Map<Stat, Long> map = new EnumMap<>(Stat.class);
        for (Stat s : Stat.values()) {
            map.put(s, counts[s.ordinal()]);
        }
        return map;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stats s && Arrays.equals(counts, s.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Stats" + asMap();
    }
}
