package io.xdpgate.gateways.runtime;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Frame memory for runtime unit tests: a heap buffer cut in chunks like a UMEM, frames placed
 * behind room for metadata as the kernel does. Sent frames are copied out and their chunks
 * freed, as the completion ring would.
 */
final class HeapFrames implements FrameIo {
    static final int CHUNK = 4096;
    static final int HEADROOM = 256;

    private final ByteBuffer memory;
    private final int chunks;
    private final Deque<Long> free = new ArrayDeque<>();
    private final Set<Long> allocated = new HashSet<>();
    final List<byte[]> sent = new ArrayList<>();
    /** For each frame in {@link #sent}: whether the runtime made it ({@link #allocate}) rather than relayed it. */
    final List<Boolean> crafted = new ArrayList<>();
    boolean txFull;

    HeapFrames(int chunks) {
        this.chunks = chunks;
        memory = ByteBuffer.allocate(chunks * CHUNK);
        for (int i = 0; i < chunks; i++) {
            free.add((long) i * CHUNK);
        }
    }

    /** Places a received frame (and its metadata, if any) in a free chunk; returns its handle. */
    long receive(byte[] frame, byte[] meta) {
        long chunk = free.pop();
        long handle = chunk + HEADROOM;
        if (meta != null) {
            memory.put((int) handle - meta.length, meta);
        }
        memory.put((int) handle, frame);
        return handle;
    }

    int inUse(int chunks) {
        return chunks - free.size();
    }

    int chunks() {
        return chunks;
    }

    @Override
    public ByteBuffer memory() {
        return memory;
    }

    @Override
    public boolean send(long handle, int len) {
        if (txFull) {
            return false;
        }
        byte[] copy = new byte[len];
        memory.get((int) handle, copy);
        sent.add(copy);
        crafted.add(allocated.contains(handle));
        free(handle);
        return true;
    }

    @Override
    public void free(long handle) {
        long chunk = handle - handle % CHUNK;
        if (free.contains(chunk)) {
            throw new AssertionError("chunk freed twice: " + chunk);
        }
        // clear the metadata area so a reused chunk never shows stale metadata
        memory.put((int) chunk, new byte[HEADROOM]);
        free.push(chunk);
        allocated.remove(chunk + HEADROOM);
    }

    @Override
    public long allocate() {
        if (free.isEmpty()) {
            return -1;
        }
        long handle = free.pop() + HEADROOM;
        allocated.add(handle);
        return handle;
    }
}
