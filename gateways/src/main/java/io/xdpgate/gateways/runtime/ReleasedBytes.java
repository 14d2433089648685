package io.xdpgate.gateways.runtime;

import java.nio.ByteBuffer;

/**
 * The bytes of one direction that were released to the receiver but not yet acknowledged by
 * it: stream offsets [{@link #base()}, {@link #end()}) in a ring that grows as needed and is
 * given back once empty. A retransmission of released bytes is compared with them: the
 * receiver may not have had the first copy (lost after this firewall), so a different second
 * copy would be read instead of what the gateway approved.
 */
final class ReleasedBytes {
    private static final byte[] NONE = new byte[0];
    /** An empty ring above this capacity is given back rather than kept for the next bytes. */
    private static final int KEEP = 16 * 1024;

    private byte[] ring = NONE;
    private int head;
    private int size;
    private long base;

    long base() {
        return base;
    }

    long end() {
        return base + size;
    }

    int size() {
        return size;
    }

    /**
     * Appends the bytes for offsets [end(), to) taken from {@code mem} where offset {@code from}
     * sits at {@code at}; {@code from} must not lie past {@link #end()}. Returns how many were added.
     */
    int append(ByteBuffer mem, int at, long from, long to) {
        long end = end();
        if (from > end) {
            throw new IllegalStateException("released bytes must be contiguous: " + from + " after " + end);
        }
        if (to <= end) {
            return 0;
        }
        int n = (int) (to - end);
        ensure(size + n);
        int src = at + (int) (end - from);
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        mem.get(src, ring, tail, first);
        if (first < n) {
            mem.get(src + first, ring, 0, n - first);
        }
        size += n;
        return n;
    }

    /** Forgets the bytes below {@code offset} (the receiver acknowledged them); returns how many. */
    int trimTo(long offset) {
        if (offset <= base) {
            return 0;
        }
        int n = (int) Math.min(offset - base, size);
        if (size > 0) {
            head = (head + n) % ring.length;
        }
        size -= n;
        base += n;
        if (size == 0) {
            head = 0;
            if (ring.length > KEEP) {
                ring = NONE;
            }
        }
        return n;
    }

    /** Gives the ring back if it holds nothing (a finished connection's, so no bytes will follow). */
    void giveBackIfEmpty() {
        if (size == 0) {
            ring = NONE;
            head = 0;
        }
    }

    /** Forgets everything and starts again at {@code offset}; returns how many bytes were held. */
    int reset(long offset) {
        int n = size;
        ring = NONE;
        head = 0;
        size = 0;
        base = offset;
        return n;
    }

    /**
     * Whether the bytes for offsets [from, to) in {@code mem} (offset {@code from} at
     * {@code at}) equal the remembered ones where the two ranges overlap.
     */
    boolean matches(ByteBuffer mem, int at, long from, long to) {
        long lo = Math.max(from, base);
        long hi = Math.min(to, end());
        for (long o = lo; o < hi; o++) {
            if (ring[(int) ((head + (o - base)) % ring.length)] != mem.get(at + (int) (o - from))) {
                return false;
            }
        }
        return true;
    }

    private void ensure(int capacity) {
        if (capacity <= ring.length) {
            return;
        }
        int grown = Math.max(capacity, Math.max(4096, ring.length * 2));
        byte[] next = new byte[grown];
        if (size > 0) {
            int first = Math.min(size, ring.length - head);
            System.arraycopy(ring, head, next, 0, first);
            System.arraycopy(ring, 0, next, first, size - first);
        }
        ring = next;
        head = 0;
    }
}
