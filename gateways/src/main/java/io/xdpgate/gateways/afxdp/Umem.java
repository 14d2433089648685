package io.xdpgate.gateways.afxdp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The packet memory an AF_XDP socket shares with the kernel: {@code chunks} chunks of
 * {@code chunkSize} bytes in one anonymous mapping. A chunk's UMEM address is its offset from
 * the start; the kernel writes received frames into chunks we give it and reads the ones we
 * transmit. Also keeps the free chunks (a stack: recently used chunks are warm in cache).
 */
public final class Umem implements AutoCloseable {
    private final Pointer base;
    private final long length;
    private final int chunkSize;
    private final ByteBuffer bytes;
    private final long[] free;
    private int freeCount;
    private boolean closed;

    public Umem(int chunks, int chunkSize) {
        if (Integer.bitCount(chunkSize) != 1 || chunkSize < 2048 || chunkSize > 4096) {
            throw new IllegalArgumentException("chunk size must be 2048 or 4096, got " + chunkSize);
        }
        if (chunks <= 0 || (long) chunks * chunkSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("chunk count out of range: " + chunks);
        }
        this.chunkSize = chunkSize;
        this.length = (long) chunks * chunkSize;
        try {
            base = XskSyscalls.mmap(null, length, XskSyscalls.PROT_READ | XskSyscalls.PROT_WRITE,
                    XskSyscalls.MAP_PRIVATE | XskSyscalls.MAP_ANONYMOUS | XskSyscalls.MAP_POPULATE, -1, 0);
        } catch (LastErrorException e) {
            throw XskException.of("mmap UMEM of " + length + " bytes", e);
        }
        // network byte order: multi-byte reads of frame fields are big-endian (JNA hands out native order)
        bytes = base.getByteBuffer(0, length).order(ByteOrder.BIG_ENDIAN);
        free = new long[chunks];
        for (int i = chunks - 1; i >= 0; i--) {
            free[freeCount++] = (long) i * chunkSize;
        }
    }

    Pointer base() {
        return base;
    }

    long length() {
        return length;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int chunks() {
        return free.length;
    }

    /**
     * The whole UMEM, big-endian; absolute get/put at a UMEM address reads or writes that frame.
     * Shared by the socket's thread only.
     */
    public ByteBuffer bytes() {
        return bytes;
    }

    /** A free chunk's address, or -1 when every chunk is in use. */
    public long allocate() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    /** Returns the chunk holding {@code addr} (any address inside it) to the free stack. */
    public void free(long addr) {
        if (freeCount == free.length) {
            throw new IllegalStateException("chunk freed twice: " + addr);
        }
        free[freeCount++] = addr - (addr % chunkSize);
    }

    public int freeChunks() {
        return freeCount;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            XskSyscalls.munmap(base, length);
        }
    }
}
