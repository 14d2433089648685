package io.xdpgate.datapath.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortRangeTest {

    @Test
    void parses() {
        assertEquals(new PortRange(80, 80), PortRange.parse("80"));
        assertEquals(new PortRange(1000, 2000), PortRange.parse("1000-2000"));
        assertEquals(new PortRange(0, 65535), PortRange.parse(" 0 - 65535 "));
        assertEquals("1000-2000", PortRange.parse("1000-2000").toString());
        assertEquals("80", PortRange.parse("80").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "65536", "1-65536", "2000-1000", "a", "80-", "-80", "1-2-3", "+80", "99999"})
    void refusesBadRanges(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortRange.parse(text));
        assertTrue(e.getMessage().contains("port"), e.getMessage());
    }

    /** Exhaustive over all 65536 ports: each port is in exactly one block if in the range, else in none. */
    @ParameterizedTest
    @CsvSource({
        "0, 65535, 1", "1, 65534, 30", "80, 80, 1", "1024, 65535, 6", "5, 9, 3", "0, 0, 1", "65535, 65535, 1",
        "0, 1023, 1", "1, 65535, 16", "0, 65534, 16", "32767, 32768, 2", "1000, 2000, 8", "6000, 6063, 3",
    })
    void blocksCoverExactlyTheRange(int low, int high, int expectedBlocks) {
        PortRange range = new PortRange(low, high);
        List<PortBlock> blocks = range.blocks();
        assertEquals(expectedBlocks, blocks.size(), blocks::toString);
        int[] cover = new int[65536];
        for (PortBlock block : blocks) {
            for (int port = block.first(); port <= block.last(); port++) {
                cover[port]++;
            }
        }
        for (int port = 0; port < 65536; port++) {
            assertEquals(range.contains(port) ? 1 : 0, cover[port], "port " + port);
        }
        assertEquals(canonicalCover(low, high), blocks);
    }

    /**
     * Against an independent construction: the minimal prefix cover is the set
     * of maximal trie nodes inside the range, found by descending the trie.
     */
    @Test
    void blocksAreTheMinimalCoverForManyRanges() {
        Random random = new Random(1071);
        List<int[]> ranges = new ArrayList<>();
        int[] edges = {0, 1, 2, 3, 7, 8, 255, 256, 1023, 1024, 4095, 32767, 32768, 49151, 65534, 65535};
        for (int lo : edges) {
            for (int hi : edges) {
                if (lo <= hi) {
                    ranges.add(new int[] {lo, hi});
                }
            }
        }
        for (int i = 0; i < 2000; i++) {
            int a = random.nextInt(65536);
            int b = random.nextInt(65536);
            ranges.add(new int[] {Math.min(a, b), Math.max(a, b)});
        }
        for (int[] r : ranges) {
            List<PortBlock> blocks = new PortRange(r[0], r[1]).blocks();
            assertEquals(canonicalCover(r[0], r[1]), blocks, () -> r[0] + "-" + r[1]);
            assertTrue(blocks.size() <= 30);
        }
    }

    private static List<PortBlock> canonicalCover(int low, int high) {
        List<PortBlock> out = new ArrayList<>();
        descend(0, 0, low, high, out);
        return out;
    }

    private static void descend(int base, int length, int low, int high, List<PortBlock> out) {
        int last = base + (1 << (16 - length)) - 1;
        if (last < low || base > high) {
            return;
        }
        if (base >= low && last <= high) {
            out.add(new PortBlock(base, length));
            return;
        }
        int half = 1 << (15 - length);
        descend(base, length + 1, low, high, out);
        descend(base + half, length + 1, low, high, out);
    }
}
