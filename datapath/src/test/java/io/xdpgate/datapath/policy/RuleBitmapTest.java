package io.xdpgate.datapath.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xdpgate.abi.Abi;

import org.junit.jupiter.api.Test;

class RuleBitmapTest {

    @Test
    void emptyHasAnEmptyWordRange() {
        RuleBitmap empty = RuleBitmap.empty();
        assertEquals(Abi.XG_BITMAP_WORDS, empty.first());
        assertEquals(0, empty.last());
        assertTrue(empty.isEmpty());
        assertEquals(-1, empty.highestSetBit());
        assertEquals(RuleBitmap.empty(), RuleBitmap.ofBits());
        assertEquals(-1, RuleBitmap.firstCommonBit(empty, RuleBitmap.ofBits(0, 10239)));
    }

    @Test
    void firstAndLastBoundTheNonZeroWords() {
        RuleBitmap bitmap = RuleBitmap.ofBits(64, 130, 10239);
        assertEquals(1, bitmap.first());
        assertEquals(159, bitmap.last());
        assertEquals(3, bitmap.cardinality());
        assertTrue(bitmap.get(130));
        assertFalse(bitmap.get(131));
        assertEquals(10239, bitmap.highestSetBit());
        assertEquals("{64, 130, 10239}", bitmap.toString());
        RuleBitmap single = RuleBitmap.ofBits(0);
        assertEquals(0, single.first());
        assertEquals(0, single.last());
    }

    @Test
    void firstCommonBitIsTheLowestBitSetInAll() {
        RuleBitmap a = RuleBitmap.ofBits(3, 130, 200, 9000);
        RuleBitmap b = RuleBitmap.ofBits(130, 200, 9000);
        RuleBitmap c = RuleBitmap.ofBits(1, 200, 9000);
        assertEquals(130, RuleBitmap.firstCommonBit(a, b));
        assertEquals(200, RuleBitmap.firstCommonBit(a, b, c));
        assertEquals(-1, RuleBitmap.firstCommonBit(RuleBitmap.ofBits(1), RuleBitmap.ofBits(2)));
        // Disjoint word ranges: nothing to AND at all.
        assertEquals(-1, RuleBitmap.firstCommonBit(RuleBitmap.ofBits(0), RuleBitmap.ofBits(10000)));
        assertEquals(3, RuleBitmap.firstCommonBit(a));
    }

    @Test
    void positionsOutsideTheKernelsBitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RuleBitmap.ofBits(10240));
        assertThrows(IllegalArgumentException.class, () -> RuleBitmap.ofBits(-1));
        assertThrows(IllegalArgumentException.class, () -> RuleBitmap.of(new long[3]));
    }
}
