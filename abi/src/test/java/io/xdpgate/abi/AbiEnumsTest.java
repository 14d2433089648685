package io.xdpgate.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class AbiEnumsTest {
    @Test
    void statNamesForDisplay() {
        assertEquals("pass", Stat.PASS.displayName());
        assertEquals("drop_policy", Stat.DROP_POLICY.displayName());
        assertEquals("XG_STAT_NEW_FLOW", Stat.NEW_FLOW.cName());
        assertEquals("XG_DROP_POLICY", Stat.DROP_POLICY.cName());
        assertTrue(Stat.DROP_META.isDropReason());
        assertFalse(Stat.DROP.isDropReason(), "the total, not a reason");
        assertEquals(Stat.PAIR_FAILED, Stat.fromValue(Stat.COUNT - 1));
    }

    @Test
    void valuesMapBackToConstants() {
        assertEquals(EventType.CLOSED, EventType.fromValue(3));
        assertEquals(Role.GATEWAY, Role.fromValue(2));
        assertEquals(TcpState.TIME_WAIT, TcpState.fromValue(4));
        assertThrows(IllegalArgumentException.class, () -> Action.fromValue(3));
        assertThrows(IllegalArgumentException.class, () -> EventType.fromValue(0));
    }

    @Test
    void bitmapRangeCoversExactlyTheNonZeroWords() {
        Bitmap empty = Bitmap.of(new BitSet());
        assertTrue(empty.first() > empty.last(), "empty: first > last");
        BitSet one = new BitSet();
        one.set(Abi.XG_MAX_RULES - 1);
        Bitmap last = Bitmap.of(one);
        assertEquals(Abi.XG_BITMAP_WORDS - 1, last.first());
        assertEquals(Abi.XG_BITMAP_WORDS - 1, last.last());
        assertEquals(one, last.toBitSet());
        BitSet tooFar = new BitSet();
        tooFar.set(Abi.XG_MAX_RULES);
        assertThrows(IllegalArgumentException.class, () -> Bitmap.of(tooFar));
    }
}
