package io.xdpgate.gateways.afxdp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One of the four single-producer single-consumer rings the kernel shares with an AF_XDP
 * socket, over its mmapped memory. The kernel and this process each own one index; the other
 * is read with acquire and written with release ordering, as libbpf's xsk.h does, so entries
 * are visible before the index that publishes them. Indices are free-running u32s.
 *
 * <p>Producer side (fill, TX): {@link #reserve}, write entries, {@link #submit}. Consumer side
 * (RX, completion): {@link #peek}, read entries, {@link #release}.
 */
final class Ring {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer mem;
    private final int producerOff;
    private final int consumerOff;
    private final int flagsOff;
    private final int descOff;
    private final int entrySize;
    private final int size;
    private final int mask;
    private int cachedProducer;
    private int cachedConsumer;

    Ring(ByteBuffer mem, long producerOff, long consumerOff, long descOff, long flagsOff, int size, int entrySize,
         boolean producer) {
        this.mem = mem.order(ByteOrder.nativeOrder());
        this.producerOff = (int) producerOff;
        this.consumerOff = (int) consumerOff;
        this.descOff = (int) descOff;
        this.flagsOff = (int) flagsOff;
        this.size = size;
        this.mask = size - 1;
        this.entrySize = entrySize;
        this.cachedProducer = (int) INT.getAcquire(this.mem, this.producerOff);
        this.cachedConsumer = (int) INT.getAcquire(this.mem, this.consumerOff);
        if (producer) {
            // the producer sees `size` free slots ahead of the consumer
            cachedConsumer += size;
        }
    }

    int size() {
        return size;
    }

    /** Producer: how many of {@code wanted} slots are free (not more), starting at {@link #producerIndex()}. */
    int reserve(int wanted) {
        int free = cachedConsumer - cachedProducer;
        if (free < wanted) {
            cachedConsumer = (int) INT.getAcquire(mem, consumerOff) + size;
            free = cachedConsumer - cachedProducer;
        }
        return Math.min(free, wanted);
    }

    int producerIndex() {
        return cachedProducer;
    }

    /** Producer: publishes {@code n} written entries. */
    void submit(int n) {
        cachedProducer += n;
        INT.setRelease(mem, producerOff, cachedProducer);
    }

    /** Consumer: how many entries (at most {@code max}) are ready, starting at {@link #consumerIndex()}. */
    int peek(int max) {
        int ready = cachedProducer - cachedConsumer;
        if (ready == 0) {
            cachedProducer = (int) INT.getAcquire(mem, producerOff);
            ready = cachedProducer - cachedConsumer;
        }
        return Math.min(ready, max);
    }

    int consumerIndex() {
        return cachedConsumer;
    }

    /** Consumer: hands {@code n} read entries back. */
    void release(int n) {
        cachedConsumer += n;
        INT.setRelease(mem, consumerOff, cachedConsumer);
    }

    /** The kernel asks to be woken (need_wakeup) before it processes this ring. */
    boolean needsWakeup() {
        return ((int) INT.getVolatile(mem, flagsOff) & XskSyscalls.XDP_RING_NEED_WAKEUP) != 0;
    }

    // Entries: fill and completion rings hold u64 UMEM addresses; RX and TX hold struct
    // xdp_desc { u64 addr; u32 len; u32 options; }.

    long addr(int index) {
        return mem.getLong(entry(index));
    }

    void addr(int index, long addr) {
        mem.putLong(entry(index), addr);
    }

    int len(int index) {
        return mem.getInt(entry(index) + 8);
    }

    void desc(int index, long addr, int len) {
        int at = entry(index);
        mem.putLong(at, addr);
        mem.putInt(at + 8, len);
        mem.putInt(at + 12, 0);
    }

    private int entry(int index) {
        return descOff + (index & mask) * entrySize;
    }
}
