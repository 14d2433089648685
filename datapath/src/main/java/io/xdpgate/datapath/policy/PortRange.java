package io.xdpgate.datapath.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * An inclusive range of ports ("80", "1000-2000"); for ICMP and ICMPv6 rules,
 * a range of message types.
 */
public record PortRange(int low, int high) {

    public PortRange {
        if (low < 0 || high > 0xffff) {
            throw new IllegalArgumentException("ports must be 0..65535, got " + low + "-" + high);
        }
        if (low > high) {
            throw new IllegalArgumentException("port range " + low + "-" + high + " is empty: low > high");
        }
    }

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    public static PortRange parse(String text) {
        String trimmed = text.strip();
        int dash = trimmed.indexOf('-');
        if (dash < 0) {
            int port = number(trimmed, text);
            return new PortRange(port, port);
        }
        return new PortRange(number(trimmed.substring(0, dash), text), number(trimmed.substring(dash + 1), text));
    }

    private static int number(String part, String whole) {
        String p = part.strip();
        if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad port range \"" + whole + "\": \"" + p + "\" is not a port number 0..65535");
        }
        int value = Integer.parseInt(p);
        if (value > 0xffff) {
            throw new IllegalArgumentException("bad port range \"" + whole + "\": " + value + " is above 65535");
        }
        return value;
    }

    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    /**
     * The fewest aligned power-of-two blocks that cover exactly this range,
     * lowest first: what an LPM trie can hold. At most 30 for 16-bit ports.
     */
    public List<PortBlock> blocks() {
        List<PortBlock> blocks = new ArrayList<>();
        int next = low;
        while (next <= high) {
            // Grow the block while it stays aligned at `next` and inside the range.
            int size = next == 0 ? 1 << 16 : Integer.lowestOneBit(next);
            while (next + size - 1 > high) {
                size >>>= 1;
            }
            blocks.add(new PortBlock(next, 16 - Integer.numberOfTrailingZeros(size)));
            next += size;
        }
        return blocks;
    }

    @Override
    public String toString() {
        return low == high ? Integer.toString(low) : low + "-" + high;
    }
}
