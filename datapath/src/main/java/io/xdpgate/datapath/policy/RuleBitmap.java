package io.xdpgate.datapath.policy;

import io.xdpgate.abi.Abi;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * One bit per rule position, as in struct xg_bitmap: bit i (word i / 64, bit
 * i % 64) set means the rule at position i can match on the field the bitmap
 * was looked up for.
 *
 * <p>{@link #first()} and {@link #last()} bound the non-zero words so that the
 * kernel ANDs only the words every bitmap populates: from the largest
 * {@code first} to the smallest {@code last}. <b>An empty bitmap has
 * {@code first = }{@value Abi#XG_BITMAP_WORDS}{@code  and last = 0}</b>, so any AND
 * involving it has an empty word range and yields no rule.
 *
 * <p>Instances are immutable.
 */
public final class RuleBitmap {
    private static final RuleBitmap EMPTY = new RuleBitmap(new long[Abi.XG_BITMAP_WORDS]);

    private final long[] words;
    private final int first;
    private final int last;

    private RuleBitmap(long[] words) {
        this.words = words;
        int lo = 0;
        while (lo < Abi.XG_BITMAP_WORDS && words[lo] == 0) {
            lo++;
        }
        int hi = Abi.XG_BITMAP_WORDS - 1;
        while (hi >= 0 && words[hi] == 0) {
            hi--;
        }
        this.first = lo;
        this.last = Math.max(hi, 0);
    }

    /** A copy of {@code words}, which must have {@value Abi#XG_BITMAP_WORDS} entries. */
    public static RuleBitmap of(long[] words) {
        return wrap(words.clone());
    }

    /** Takes ownership of {@code words}: the caller must not change it afterwards. */
    static RuleBitmap wrap(long[] words) {
        if (words.length != Abi.XG_BITMAP_WORDS) {
            throw new IllegalArgumentException("a rule bitmap has " + Abi.XG_BITMAP_WORDS + " words, got "
                    + words.length);
        }
        return new RuleBitmap(words);
    }

    public static RuleBitmap empty() {
        return EMPTY;
    }

    public static RuleBitmap ofBits(int... positions) {
        long[] words = new long[Abi.XG_BITMAP_WORDS];
        for (int position : positions) {
            set(words, position);
        }
        return new RuleBitmap(words);
    }

    /** Sets bit {@code position} in a words array being built. */
    static void set(long[] words, int position) {
        if (position < 0 || position >= Abi.XG_MAX_RULES) {
            throw new IllegalArgumentException("rule position must be 0.." + (Abi.XG_MAX_RULES - 1) + ", got "
                    + position);
        }
        words[position >>> 6] |= 1L << (position & 63);
    }

    /**
     * The kernel's classification step: AND the bitmaps over the words from the
     * largest first to the smallest last and return the lowest set bit, or -1.
     */
    public static int firstCommonBit(RuleBitmap... bitmaps) {
        if (bitmaps.length == 0) {
            throw new IllegalArgumentException("need at least one bitmap");
        }
        int lo = 0;
        int hi = Abi.XG_BITMAP_WORDS - 1;
        for (RuleBitmap bitmap : bitmaps) {
            lo = Math.max(lo, bitmap.first);
            hi = Math.min(hi, bitmap.last);
        }
        for (int i = lo; i <= hi; i++) {
            long word = -1L;
            for (RuleBitmap bitmap : bitmaps) {
                word &= bitmap.words[i];
            }
            if (word != 0) {
                return i * 64 + Long.numberOfTrailingZeros(word);
            }
        }
        return -1;
    }

    /** Index of the first non-zero word; {@value Abi#XG_BITMAP_WORDS} when empty. */
    public int first() {
        return first;
    }

    /** Index of the last non-zero word; 0 when empty. */
    public int last() {
        return last;
    }

    public long word(int index) {
        return words[index];
    }

    public long[] words() {
        return words.clone();
    }

    public boolean isEmpty() {
        return first == Abi.XG_BITMAP_WORDS;
    }

    public boolean get(int position) {
        return (words[position >>> 6] & 1L << (position & 63)) != 0;
    }

    public int cardinality() {
        int count = 0;
        for (long word : words) {
            count += Long.bitCount(word);
        }
        return count;
    }

    /** The highest set position, or -1. */
    public int highestSetBit() {
        return isEmpty() ? -1 : last * 64 + 63 - Long.numberOfLeadingZeros(words[last]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleBitmap other && Arrays.equals(other.words, words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    /** The set positions, e.g. "{0, 3, 17}" (long bitmaps are cut short). */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "{", "}");
        int shown = 0;
        for (int i = first; i < Abi.XG_BITMAP_WORDS && i <= last; i++) {
            for (long word = words[i]; word != 0; word &= word - 1) {
                if (shown++ == 32) {
                    return text.add("... " + cardinality() + " bits").toString();
                }
                text.add(Integer.toString(i * 64 + Long.numberOfTrailingZeros(word)));
            }
        }
        return text.toString();
    }
}
