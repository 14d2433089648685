package io.xdpgate.abi;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;

/**
 * {@code struct xg_bitmap}: one bit per rule position, plus the range [first, last] of words that
 * may be non-zero so the classifier only ANDs words every field populates. first > last means no
 * bit is set.
 */
public record Bitmap(int first, int last, long[] words) {
    public static final Layout LAYOUT = Layout.struct("xg_bitmap")
            .u16("first")
            .u16("last")
            .u32("pad")
            .u64s("words", Abi.XG_BITMAP_WORDS)
            .build();

    public static final StructCodec<Bitmap> CODEC = new StructCodec<>(LAYOUT) {
        private final Layout.Field first = LAYOUT.field("first");
        private final Layout.Field last = LAYOUT.field("last");
        private final Layout.Field words = LAYOUT.field("words");

        @Override
        public Bitmap read(ByteBuffer in, int base) {
            return new Bitmap(first.getInt(in, base), last.getInt(in, base), words.getLongs(in, base));
        }

        @Override
        protected void writeFields(Bitmap b, ByteBuffer out, int base) {
            first.put(out, base, b.first());
            last.put(out, base, b.last());
            words.putLongs(out, base, b.words);
        }
    };

    public Bitmap {
        Checks.u16("first", first);
        Checks.u16("last", last);
        if (words.length != Abi.XG_BITMAP_WORDS) {
            throw new IllegalArgumentException(words.length + " words, a bitmap has " + Abi.XG_BITMAP_WORDS);
        }
        words = words.clone();
    }

    /** The bitmap of these rule positions, with first/last the exact range of non-zero words. */
    public static Bitmap of(BitSet rules) {
        if (rules.length() > Abi.XG_MAX_RULES) {
            throw new IllegalArgumentException("rule position " + (rules.length() - 1) + " beyond " + Abi.XG_MAX_RULES);
        }
        long[] words = Arrays.copyOf(rules.toLongArray(), Abi.XG_BITMAP_WORDS);
        if (rules.isEmpty()) {
            return new Bitmap(1, 0, words);
        }
        return new Bitmap(rules.nextSetBit(0) / 64, (rules.length() - 1) / 64, words);
    }

    public BitSet toBitSet() {
        return BitSet.valueOf(words);
    }

    @Override
    public long[] words() {
        return words.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitmap b && first == b.first && last == b.last && Arrays.equals(words, b.words);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * first + last) + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "Bitmap[first=" + first + ", last=" + last + ", rules=" + toBitSet() + "]";
    }
}
